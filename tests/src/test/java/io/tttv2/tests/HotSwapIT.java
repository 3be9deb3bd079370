package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Hot-swap while the host generates: several loops, each with its own Llama runner over the fixture model,
 * generate greedily without pause while implementation bundles are installed, updated and uninstalled.
 * Runners rebind at step boundaries only (every step runs one candidate's attention), no request fails,
 * every output equals the output without any swap (the swapped-in candidates compute as the core one), an
 * assembly pinned to a range never binds outside it and pauses when nothing in it is left, and the old
 * bundle's class loader is released after refresh.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    private static final String SDPA = "tttv2/attention/sdpa 1.0.0";
    private static final int LOOPS = 3;
    private static final int NEW_TOKENS = 10;
    private static final int[][] PROMPTS = {{1, 17, 33, 90, 200, 5}, {2, 3, 4, 5}, {100, 101, 7, 250, 9, 60, 61}};
    /** Generous bounds: on a loaded 2-core machine a round of the three prompts takes milliseconds. */
    private static final long WAIT_MILLIS = 60_000;
    private static final long GC_WAIT_MILLIS = 20_000;

    @Inject
    private BundleContext context;

    private ModelRunnerFactory llama;
    private Path model;
    private int[][] expected;
    private ServiceRegistration<FactoryDecorator> recorder;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Bundle> installed = new ArrayList<>();

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Before
    public void expectedOutputsWithoutAnySwap() throws Exception {
        llama = ServiceWait.service(context, ModelRunnerFactory.class, "(tttv2.model=llama-family)");
        model = BuiltDistribution.root().resolve("testdata/fixtures/llama");
        expected = new int[PROMPTS.length][];
        try (ModelRunner runner = (ModelRunner) llama.initialize(model, new RunnerOptions(1, 0))) {
            assertEquals(SDPA.split(" ")[0], runner.modules().get("model.layers.0.self_attn").candidate());
            for (int p = 0; p < PROMPTS.length; p++) {
                expected[p] = Greedy.of(runner).generate(PROMPTS[p], NEW_TOKENS);
            }
        }
        recorder = context.registerService(FactoryDecorator.class, new StepCandidates(), null);
    }

    @After
    public void stopLoopsAndUninstall() throws Exception {
        stop.set(true);
        for (Thread t : threads) {
            t.join(WAIT_MILLIS);
        }
        recorder.unregister();
        for (Bundle b : installed) {
            if (b.getState() != Bundle.UNINSTALLED) {
                b.uninstall();
            }
        }
        refresh();
    }

    @Test
    public void installingUpdatingAndUninstallingRebindsRunningModelsAtStepBoundaries() throws Exception {
        List<GenerationLoop> loops = startLoops(null);
        awaitEvery(loops, "a round with the core attention", l -> l.steps(SDPA));

        // a newer core-tier candidate comes: the default (highest tier, then version) moves to it
        Bundle swap = install(SwapBundles.attention("test.attention.swap", "1.1.0", "core"));
        awaitEvery(loops, "steps with 1.1.0 after its install", l -> l.steps(SwapBundles.CANDIDATE + " 1.1.0"));

        // updated in place to 1.2.0: rebinds again, and the 1.1.0 revision's class loader goes after refresh
        WeakReference<ClassLoader> v110 = new WeakReference<>(swap.adapt(BundleWiring.class).getClassLoader());
        swap.update(SwapBundles.attention("test.attention.swap", "1.2.0", "core").stream());
        refresh();
        awaitEvery(loops, "steps with 1.2.0 after the update", l -> l.steps(SwapBundles.CANDIDATE + " 1.2.0"));
        assertReleased("the class loader of test.attention.swap 1.1.0", v110);

        // uninstalled: back to the core candidate, and the 1.2.0 class loader goes too
        WeakReference<ClassLoader> v120 = new WeakReference<>(swap.adapt(BundleWiring.class).getClassLoader());
        int[] coreSteps = loops.stream().mapToInt(l -> l.steps(SDPA)).toArray();
        swap.uninstall();
        refresh();
        awaitEvery(loops, "steps with the core attention after the uninstall", l -> l.steps(SDPA) - coreSteps[loops.indexOf(l)]);
        awaitEvery(loops, "a whole round after the uninstall", GenerationLoop::generations);
        assertReleased("the class loader of test.attention.swap 1.2.0", v120);

        stopLoops();
        report("swap", loops);
        assertEquals("failures while swapping", List.of(), List.copyOf(failures));
        for (GenerationLoop l : loops) {
            assertEquals(l.name() + " paused, though a candidate was always there", 0, l.pauses());
            assertEquals(l.name() + " ran", Set.of(SDPA, SwapBundles.CANDIDATE + " 1.1.0", SwapBundles.CANDIDATE + " 1.2.0"),
                    l.candidates());
        }
    }

    @Test
    public void anAssemblyPinnedToARangeNeverBindsOutsideItAndPausesUntilACandidateReturns() throws Exception {
        Bundle inRange = install(SwapBundles.attention("test.attention.pinned.one", "1.0.0", "contrib"));
        // more trusted and newer: the default would take it, the pin must not
        install(SwapBundles.attention("test.attention.pinned.two", "2.0.0", "core"));
        Assembly pinned = new Assembly(null, Map.of(ModuleKind.ATTENTION,
                new Requirement(SwapBundles.CANDIDATE, "[1.0,2)", null, null, null)));
        List<GenerationLoop> loops = startLoops(pinned);
        String one = SwapBundles.CANDIDATE + " 1.0.0";
        String two = SwapBundles.CANDIDATE + " 2.0.0";
        Runnable neverTwo = () -> loops.forEach(l -> assertEquals(l.name() + " ran " + two + ", outside [1.0,2)", 0, l.steps(two)));
        awaitEvery(loops, "steps with the pinned 1.0.0", l -> l.steps(one), neverTwo);

        inRange.uninstall();
        refresh();
        awaitEvery(loops, "a paused step once 1.0.0 is gone", GenerationLoop::pauses, neverTwo);
        for (GenerationLoop l : loops) {
            String message = l.pauseMessages().peek();
            assertTrue(message, message.startsWith("paused: no candidate for attention meets name " + SwapBundles.CANDIDATE
                    + ", version [1.0,2)"));
            assertTrue(message, message.contains(SwapBundles.CANDIDATE + " 2.0.0: version 2.0.0 outside [1.0,2)"));
        }

        int[] before = loops.stream().mapToInt(l -> l.steps(SwapBundles.CANDIDATE + " 1.0.1")).toArray();
        install(SwapBundles.attention("test.attention.pinned.back", "1.0.1", "contrib"));
        awaitEvery(loops, "steps with 1.0.1 once it is installed", l -> l.steps(SwapBundles.CANDIDATE + " 1.0.1")
                - before[loops.indexOf(l)], neverTwo);
        int[] rounds = loops.stream().mapToInt(GenerationLoop::generations).toArray();
        awaitEvery(loops, "a whole round after resuming", l -> l.generations() - rounds[loops.indexOf(l)], neverTwo);

        stopLoops();
        report("pinned", loops);
        assertEquals("failures while pinned", List.of(), List.copyOf(failures));
        for (GenerationLoop l : loops) {
            assertEquals(l.name() + " ran", Set.of(one, SwapBundles.CANDIDATE + " 1.0.1"), l.candidates());
        }
    }

    /** {@link #LOOPS} loops, each with its own runner built with {@code assembly} laid over the model's. */
    private List<GenerationLoop> startLoops(Assembly assembly) throws InterruptedException {
        List<GenerationLoop> loops = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(LOOPS);
        for (int i = 0; i < LOOPS; i++) {
            GenerationLoop loop = new GenerationLoop("loop " + i, (ModelRunner) llama.initialize(model, new RunnerOptions(1, 0, assembly)),
                    PROMPTS, expected, stop, failures);
            loops.add(loop);
            Thread t = new Thread(() -> {
                ready.countDown();
                loop.run();
            }, "generation loop " + i);
            threads.add(t);
            t.start();
        }
        assertTrue(ready.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        return loops;
    }

    /** The figures of a run, in the test's output: rounds, steps per candidate, paused steps. */
    private static void report(String test, List<GenerationLoop> loops) {
        for (GenerationLoop l : loops) {
            StringBuilder steps = new StringBuilder();
            l.candidates().stream().sorted().forEach(c -> steps.append(", ").append(c).append(": ").append(l.steps(c)).append(" steps"));
            System.out.println("HotSwapIT " + test + " " + l.name() + ": " + l.generations() + " rounds of " + PROMPTS.length
                    + " prompts" + steps + ", " + l.pauses() + " paused steps");
        }
    }

    private void stopLoops() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(WAIT_MILLIS);
            assertFalse(t.getName() + " did not stop", t.isAlive());
        }
    }

    private Bundle install(GeneratedBundle generated) throws Exception {
        Bundle b = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
        installed.add(b);
        b.start();
        return b;
    }

    /** Refreshes the framework's wiring and waits until it is done (the old revisions are dropped). */
    private void refresh() throws InterruptedException {
        assertTrue("refresh did not finish", SwapBundles.refresh(context, WAIT_MILLIS));
    }

    /** Waits until {@code count} is positive for every loop; fails at once if a loop recorded a failure. */
    private void awaitEvery(List<GenerationLoop> loops, String what, ToIntFunction<GenerationLoop> count)
            throws InterruptedException {
        awaitEvery(loops, what, count, () -> { });
    }

    /** As above, checking {@code invariant} at every poll, so that a breach fails at once. */
    private void awaitEvery(List<GenerationLoop> loops, String what, ToIntFunction<GenerationLoop> count, Runnable invariant)
            throws InterruptedException {
        await(what, () -> loops.stream().allMatch(l -> count.applyAsInt(l) > 0), invariant);
    }

    private void await(String what, BooleanSupplier condition, Runnable invariant) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            invariant.run();
            assertEquals("failures while waiting for " + what, List.of(), List.copyOf(failures));
            assertTrue("no " + what + " within " + WAIT_MILLIS + " ms", System.currentTimeMillis() < deadline);
            Thread.sleep(5);
        }
    }

    /** Collects garbage until {@code ref} is cleared, for at most {@link #GC_WAIT_MILLIS}. */
    private static void assertReleased(String what, WeakReference<?> ref) throws InterruptedException {
        long start = System.currentTimeMillis();
        long deadline = start + GC_WAIT_MILLIS;
        while (ref.get() != null && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(what + " is still reachable " + GC_WAIT_MILLIS + " ms after the refresh", ref.get() == null);
        System.out.println("HotSwapIT: " + what + " released " + (System.currentTimeMillis() - start) + " ms after the refresh");
    }
}

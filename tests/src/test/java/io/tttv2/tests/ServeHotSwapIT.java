package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.serving.OpenAiServer;
import io.tttv2.integration.serving.ServedModel;
import io.tttv2.integration.serving.ServerOptions;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
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

/**
 * Hot-swap under traffic: an OpenAI-compatible server (the serving bundle, in the host) streams greedy
 * completions of kjv-tiny to concurrent HTTP clients while attention bundles are installed, updated and
 * uninstalled. The runner rebinds between the scheduler's steps: no request fails, every answer equals the
 * answer before any swap (the swapped-in candidates compute as the core one), the steps run the newly
 * installed candidates, and an assembly pinned to a range pauses (requests wait) rather than binding
 * outside it, and resumes when a candidate in range returns.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServeHotSwapIT {

    private static final String SDPA = "tttv2/attention/sdpa 1.0.0";
    private static final String[] PROMPTS = {"In the beginning", "And God said", "The LORD is my shepherd"};
    private static final int CLIENTS = 3;
    private static final long WAIT_MILLIS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private BundleContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CandidateCounts counts = new CandidateCounts();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger answers = new AtomicInteger();
    private final List<Bundle> installed = new ArrayList<>();
    private ServiceRegistration<FactoryDecorator> decorator;
    private ModelRunnerFactory llama;
    private Path model;
    private Tokenizer tokenizer;
    private OpenAiServer server;
    private ModelRunner runner;
    private String[] expected;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Before
    public void answersBeforeAnySwap() throws Exception {
        llama = ServiceWait.service(context, ModelRunnerFactory.class, "(tttv2.model=llama-family)");
        model = BuiltDistribution.home().resolve("models/kjv-tiny");
        tokenizer = Tokenizer.load(model.resolve("tokenizer.json"));
        decorator = context.registerService(FactoryDecorator.class, counts, null);
        startServer(null);
        expected = new String[PROMPTS.length];
        for (int p = 0; p < PROMPTS.length; p++) {
            expected[p] = complete(PROMPTS[p]);
        }
        stopServer();
    }

    @After
    public void stopEverything() throws Exception {
        stopClients();
        stopServer();
        decorator.unregister();
        for (Bundle b : installed) {
            if (b.getState() != Bundle.UNINSTALLED) {
                b.uninstall();
            }
        }
        refresh();
    }

    @Test
    public void installingUpdatingAndUninstallingRebindsBetweenStepsWhileClientsStream() throws Exception {
        startServer(null);
        startClients();
        awaitAnswers("answers with the core attention");

        Bundle swap = install(SwapBundles.attention("test.serve.swap", "1.1.0", "core"));
        await("steps with 1.1.0 after its install", () -> counts.calls(SwapBundles.CANDIDATE + " 1.1.0"));
        awaitAnswers("answers after the install");

        swap.update(SwapBundles.attention("test.serve.swap", "1.2.0", "core").stream());
        refresh();
        await("steps with 1.2.0 after the update", () -> counts.calls(SwapBundles.CANDIDATE + " 1.2.0"));
        awaitAnswers("answers after the update");

        int core = counts.calls(SDPA);
        swap.uninstall();
        refresh();
        await("steps with the core attention after the uninstall", () -> counts.calls(SDPA) - core);
        awaitAnswers("answers after the uninstall");

        stopClients();
        assertEquals("failed requests while swapping", List.of(), List.copyOf(failures));
        System.out.println("ServeHotSwapIT swap: " + answers.get() + " answers; attention calls: core " + counts.calls(SDPA)
                + ", 1.1.0 " + counts.calls(SwapBundles.CANDIDATE + " 1.1.0") + ", 1.2.0 " + counts.calls(SwapBundles.CANDIDATE + " 1.2.0"));
    }

    @Test
    public void aPinnedAssemblyPausesTheServerRatherThanBindingOutsideItsRange() throws Exception {
        Bundle inRange = install(SwapBundles.attention("test.serve.pinned.one", "1.0.0", "contrib"));
        install(SwapBundles.attention("test.serve.pinned.two", "2.0.0", "core"));    // newer, more trusted: not in range
        String two = SwapBundles.CANDIDATE + " 2.0.0";
        startServer(new Assembly(null, Map.of(ModuleKind.ATTENTION, new Requirement(SwapBundles.CANDIDATE, "[1.0,2)", null, null, null))));
        startClients();
        awaitAnswers("answers with the pinned 1.0.0");
        assertTrue(counts.calls(SwapBundles.CANDIDATE + " 1.0.0") > 0);

        inRange.uninstall();
        refresh();
        Thread.sleep(500);     // clients keep sending: their requests wait while the runner is paused
        int during = answers.get();
        Thread.sleep(500);
        assertEquals("answers while nothing in range is installed", during, answers.get());

        install(SwapBundles.attention("test.serve.pinned.back", "1.0.1", "contrib"));
        await("steps with 1.0.1 once it is installed", () -> counts.calls(SwapBundles.CANDIDATE + " 1.0.1"));
        awaitAnswers("answers after resuming");

        stopClients();
        assertEquals("failed requests while pinned", List.of(), List.copyOf(failures));
        assertEquals(two + " ran, outside [1.0,2)", 0, counts.calls(two));
    }

    private void stopServer() {
        if (server != null) {
            server.stop();
            runner.close();
            server = null;
        }
    }

    private void startServer(Assembly assembly) {
        runner = (ModelRunner) llama.initialize(model, new RunnerOptions(4, 0, assembly));
        server = OpenAiServer.start(new ServedModel("kjv-tiny", runner, tokenizer, null, Set.of()),
                new ServerOptions("127.0.0.1", 0, 4, 16, 256, 16, 256, 1 << 20, null, Duration.ofSeconds(10)));
    }

    /** {@link #CLIENTS} threads sending streaming requests over and over, checking every answer. */
    private void startClients() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int first = c;
            Thread t = new Thread(() -> {
                ready.countDown();
                for (int i = first; !stop.get(); i++) {
                    int p = i % PROMPTS.length;
                    try {
                        String text = complete(PROMPTS[p]);
                        if (!text.equals(expected[p])) {
                            failures.add("'" + PROMPTS[p] + "' answered '" + text + "', expected '" + expected[p] + "'");
                        }
                        answers.incrementAndGet();
                    } catch (Exception e) {
                        failures.add("'" + PROMPTS[p] + "': " + e);
                    }
                }
            }, "serve client " + c);
            clients.add(t);
            t.start();
        }
        assertTrue(ready.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
    }

    private void stopClients() throws InterruptedException {
        stop.set(true);
        for (Thread t : clients) {
            t.join(WAIT_MILLIS);
        }
    }

    /** A greedy streamed completion; its text, from the events. */
    private String complete(String prompt) throws Exception {
        String body = "{\"model\":\"kjv-tiny\",\"prompt\":\"" + prompt + "\",\"max_tokens\":12,\"temperature\":0,\"stream\":true}";
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
                .timeout(Duration.ofMillis(WAIT_MILLIS)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode());
        }
        StringBuilder text = new StringBuilder();
        boolean done = false;
        for (String line : (Iterable<String>) r.body()::iterator) {
            if (line.equals("data: [DONE]")) {
                done = true;
            } else if (line.startsWith("data: ")) {
                var event = JSON.readTree(line.substring(6));
                if (event.has("error")) {
                    throw new IllegalStateException(event.toString());
                }
                text.append(event.get("choices").get(0).get("text").asText());
            }
        }
        if (!done) {
            throw new IllegalStateException("the stream ended without [DONE]");
        }
        return text.toString();
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

    /** Waits until every client has had another answer (so {@link #CLIENTS} more answers), failing at once on a failure. */
    private void awaitAnswers(String what) throws InterruptedException {
        int start = answers.get();
        await(what, () -> answers.get() - start - CLIENTS + 1);
    }

    private void await(String what, IntSupplier positive) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (positive.getAsInt() <= 0) {
            assertEquals("failed requests while waiting for " + what, List.of(), List.copyOf(failures));
            assertTrue("no " + what + " within " + WAIT_MILLIS + " ms", System.currentTimeMillis() < deadline);
            Thread.sleep(5);
        }
    }
}

package io.tttv2.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The KV knobs on the embedded model (kjv-tiny: 6 layers, 4 KV heads of 32, BF16 weights): a BF16 KV cache takes half
 * the bytes and gives logits within {@link #BF16_KV_TOLERANCE} of the F32 cache's over a 40-token prompt and 24
 * teacher-forced decode steps, with the same greedy token wherever F32's top two are further apart than twice that;
 * tiled attention ({@code kvTile} 8, many tiles per query) and the default tile (one tile for these sequences, the
 * untiled computation) give logits within float tolerance of untiled attention. (Two runs are not compared bit for
 * bit: the vector exp's last bit depends on whether the JIT has compiled it yet.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KvKnobsIT {

    /**
     * Max |logit difference| allowed for a BF16 cache: 8 significant bits per cached key and value (a relative error of
     * 2^-9 each), through 6 layers, on logits spanning about ±20.
     */
    static final float BF16_KV_TOLERANCE = 0.25f;
    /** Tiles fold the softmax in another order: float rounding only. */
    static final float TILE_TOLERANCE = 1e-4f;
    private static final int PROMPT = 40;
    private static final int DECODES = 24;
    private static final int BLOCK_SIZE = 16;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    private static Assembly knobs(ModuleKind kind, String knob, int value) {
        return new Assembly(null, Map.of(kind, new Requirement(null, null, null, List.of(), List.of(), Map.of(knob, value))));
    }

    @Test
    public void bf16KvHalvesTheBytesAndStaysCloseToF32() throws Exception {
        List<float[]> f32 = logits(null, null);
        Assembly bf16 = knobs(ModuleKind.ATTENTION, "kvDtype", ModuleConfig.parse("kvDtype", "BF16"));
        long[] bytes = new long[2];
        List<float[]> half = logits(bf16, bytes);
        long[] f32Bytes = new long[2];
        logits(null, f32Bytes);
        assertEquals("KV bytes per token halved", f32Bytes[0] / 2, bytes[0]);
        assertEquals("allocated cache bytes halved", f32Bytes[1] / 2, bytes[1]);
        float worst = 0;
        for (int i = 0; i < f32.size(); i++) {
            float d = maxAbsDiff(f32.get(i), half.get(i));
            worst = Math.max(worst, d);
            assertTrue("step " + i + ": BF16 KV logits differ from F32 KV by " + d, d <= BF16_KV_TOLERANCE);
            if (margin(f32.get(i)) > 2 * BF16_KV_TOLERANCE) {      // a token the F32 logits decide clearly
                assertEquals("step " + i + ": greedy token", argmax(f32.get(i)), argmax(half.get(i)));
            }
        }
        System.out.println("kjv-tiny, BF16 KV against F32 KV: max |logit difference| " + worst + " over "
                + f32.size() + " steps");
        assertTrue("a BF16 cache must change something (else it is not in use)", worst > 0);
    }

    @Test
    public void tiledAttentionEqualsUntiledAndTheDefaultTileIsBitIdentical() throws Exception {
        List<float[]> untiled = logits(knobs(ModuleKind.ATTENTION_BACKEND, "kvTile", 0), null);
        List<float[]> tiled = logits(knobs(ModuleKind.ATTENTION_BACKEND, "kvTile", 8), null);
        List<float[]> byDefault = logits(null, null);
        for (int i = 0; i < untiled.size(); i++) {
            float d = maxAbsDiff(untiled.get(i), tiled.get(i));
            assertTrue("step " + i + ": tiles of 8 differ from untiled by " + d, d <= TILE_TOLERANCE);
            assertArrayEquals("step " + i + ": the default tile (one tile here) is the untiled kernel", untiled.get(i),
                    byDefault.get(i), TILE_TOLERANCE);
        }
    }

    /**
     * Logits after the prompt and after each teacher-forced decode (the tokens are fixed, so two runs compare step by
     * step); bytes, when given, receives the KV bytes per token and the allocated cache's bytes.
     */
    private List<float[]> logits(Assembly assembly, long[] bytes) throws Exception {
        ModelRunnerFactory factory = ServiceWait.service(context, ModelRunnerFactory.class, "(tttv2.model=llama-family)");
        Path kjv = BuiltDistribution.home().resolve("models/kjv-tiny");
        List<float[]> rows = new ArrayList<>();
        try (ModelRunner runner = (ModelRunner) factory.initialize(kjv, new RunnerOptions(1, 0, assembly))) {
            int vocab = runner.info().vocabSize();
            int[] prompt = new int[PROMPT];
            for (int i = 0; i < PROMPT; i++) {
                prompt[i] = 7 + (i * 97) % (vocab - 7);
            }
            try (PagedKvCache cache = runner.allocateKvCache((PROMPT + DECODES) / BLOCK_SIZE + 2, BLOCK_SIZE)) {
                if (bytes != null) {
                    bytes[0] = runner.info().kvCache().bytesPerToken();
                    bytes[1] = cache.spec().byteSize();
                }
                BlockTable table = cache.newSequence();
                Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);     // [1, vocab]
                runner.prefill(cache, List.of(new PrefillRequest(prompt, table, null)), logits);
                rows.add(logits.toFloatArray());
                for (int i = 0; i < DECODES; i++) {
                    runner.decode(cache, new int[] {11 + (i * 31) % (vocab - 11)}, new BlockTable[] {table}, logits);
                    rows.add(logits.toFloatArray());
                }
            }
        }
        return rows;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** The top logit minus the second. */
    private static float margin(float[] row) {
        float first = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (float v : row) {
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return first - second;
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}

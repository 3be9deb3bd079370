package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.MatmulKernel;
import java.lang.foreign.Arena;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

    /** One recorded op call: its name and arguments. */
    private record Call(String op, Object[] args) {
    }

    /** Runs {@code rounds} rounds of a warm-up whose ops record every call. */
    private static List<Call> record(int rounds) {
        List<Call> calls = new ArrayList<>();
        KernelWarmUp warmUp = new KernelWarmUp(() -> false, rounds, ops -> (Ops) Proxy.newProxyInstance(
                Ops.class.getClassLoader(), new Class<?>[] {Ops.class}, (proxy, method, args) -> {
                    calls.add(new Call(method.getName(), args));
                    try {
                        return method.invoke(ops, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
        warmUp.run();
        assertNull(warmUp.failure(), "the warm-up failed");
        assertEquals(rounds, warmUp.completedRounds());
        return calls;
    }

    private static List<Call> calls(List<Call> calls, String op) {
        return calls.stream().filter(c -> c.op.equals(op)).toList();
    }

    @Test
    void runsEveryRoundWithoutFailing() {
        // run() keeps failures to itself (a failed warm-up must not break the device): failure() reports them
        KernelWarmUp warmUp = new KernelWarmUp(() -> false, 2);
        warmUp.run();
        assertNull(warmUp.failure());
        assertEquals(2, warmUp.completedRounds());
    }

    @Test
    void reachesEveryMatmulLoopThatA1bModelAndATinyModelReach() {
        Set<String> warmed = new TreeSet<>();
        for (Call c : calls(record(1), "matmul")) {
            Tensor x = (Tensor) c.args[0];
            Tensor w = (Tensor) c.args[1];
            assertEquals(DType.BF16, w.dtype());
            assertTrue(w.base().isReadOnly() && w.base().isMapped(), "weights should be a read-only file mapping, as a checkpoint's are");
            warmed.addAll(MatmulKernel.bf16Routes(x.dim(0), x.dim(1)));
        }
        // Llama-3.2-1B: K 2048 (projections, LM head) and 8192 (down); kjv-tiny: K 256 and 704; prompts of 5, 16
        // and 64 tokens and decode (the LM head takes the last row only)
        Set<String> model = new TreeSet<>();
        for (int k : new int[] {2048, 8192, 256, 704}) {
            for (int m : new int[] {1, 5, 16, 64}) {
                model.addAll(MatmulKernel.bf16Routes(m, k));
            }
        }
        assertTrue(warmed.containsAll(model), "the model's loops " + model + ", the warm-up's " + warmed);
        assertTrue(warmed.contains("gemm") && warmed.contains("4 rows batch") && warmed.contains("long"), warmed.toString());
    }

    @Test
    void runsAttentionAndTheLayersOtherOpsAsA1bModelDoes() {
        List<Call> calls = record(1);
        Set<String> ops = calls.stream().map(Call::op).collect(Collectors.toSet());
        assertTrue(ops.containsAll(Set.of("embedding", "rmsNorm", "rotary", "writeKv", "attentionPrefill",
                "attentionDecode", "gatedActivation", "add", "argmax")), ops.toString());
        Set<Integer> prompts = new TreeSet<>();
        for (Call c : calls(calls, "attentionPrefill")) {
            Tensor q = (Tensor) c.args[0];
            AttentionParams params = (AttentionParams) c.args[5];
            prompts.add(q.dim(0));
            assertEquals(64, q.dim(2), "head dim");
            assertEquals(4, q.dim(1) / ((io.tttv2.api.kv.PagedKvCache) c.args[1]).spec().kvHeads(), "query heads per KV head");
            assertEquals(ModuleConfig.defaultKvTile(64, 64), params.kvTile(), "a model's default KV tile");
        }
        assertEquals(Set.of(KernelWarmUp.BATCH_PROMPT, KernelWarmUp.GEMM_PROMPT), prompts);
        assertEquals(DType.BF16, ((Tensor) calls(calls, "embedding").getFirst().args[0]).dtype());
    }

    @Test
    void doesNothingOnceRealWorkHasStarted() {
        KernelWarmUp warmUp = new KernelWarmUp(() -> true, 3);
        warmUp.run();
        assertEquals(0, warmUp.completedRounds());
    }

    @Test
    void stopsAtTheDevicesFirstMatmul() throws InterruptedException {
        try (CpuDevice device = new CpuDevice(2); Arena arena = Arena.ofConfined()) {
            Thread thread = device.startWarmUp(Integer.MAX_VALUE);
            assertTrue(thread.isDaemon());
            Tensor x = Tensor.allocate(arena, DType.F32, 1, 8);
            Tensor w = Tensor.allocate(arena, DType.BF16, 4, 8);
            Tensor out = Tensor.allocate(arena, DType.F32, 1, 4);
            device.ops().matmul(x, w, null, out);
            thread.join(120_000);
            assertFalse(thread.isAlive(), "the warm-up kept running after the device's first matmul");
        }
    }

    @Test
    void stopsWhenTheDeviceCloses() throws InterruptedException {
        Thread thread;
        try (CpuDevice device = new CpuDevice(1)) {
            thread = device.startWarmUp(Integer.MAX_VALUE);
        }
        thread.join(120_000);
        assertFalse(thread.isAlive(), "the warm-up kept running after the device closed");
    }
}

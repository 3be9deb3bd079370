package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.cpu.WorkerPool;
import io.tttv2.core.cpu.kernel.Lanes;
import io.tttv2.core.cpu.kernel.SplitOrder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Ranks BF16 decode loops and weight memory kinds in one JVM, round-robin (every configuration once per
 * round, medians over rounds), so a loaded machine's drift hits all of them alike. Each call takes the next
 * copy of the weight (512 MiB of copies per memory kind), so weights stream from DRAM as in a decode step.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp <test classpath>
 * io.tttv2.core.cpu.bench.Bf16DecodeRanking K N rounds memoryKinds variants workers}, e.g.
 * {@code 2048 8192 15 file,huge kernel,r4,sum 1,2}.
 */
public final class Bf16DecodeRanking {

    private record Config(String memory, String variant, int workers, Runnable call, long bytesPerCall) {
    }

    public static void main(String[] args) throws Exception {
        int k = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String[] memories = args[3].split(",");
        String[] variants = args[4].split(",");
        int[] workerCounts = Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray();
        long bytes = 2L * n * k;
        int copies = (int) Math.max(2, Bf16DecodeBenchmark.FOOTPRINT / bytes);
        MemorySegment source = Arena.ofAuto().allocate(bytes * copies + 64, 64);
        Random r = new Random(1);
        for (long i = 0; i < bytes * copies + 64; i += 2) {
            source.set(Lanes.I16_LE, i, Lanes.toBf16((r.nextFloat() - 0.5f) * 0.1f));
        }
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, k);
        for (int j = 0; j < k; j++) {
            x.setFloat(r.nextFloat() - 0.5f, 0, j);
        }
        float[] xSplit = new float[k];
        SplitOrder.splitF32(x.base(), x.offset(), k, xSplit, 0);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, n);
        Arena arena = Arena.ofShared();
        List<Config> configs = new ArrayList<>();
        List<AutoCloseable> closing = new ArrayList<>();
        for (String memory : memories) {
            // kind[+misalignment in bytes][-global]
            String kind = memory.replace("-global", "").replaceAll("\\+.*", "");
            int shift = memory.contains("+") ? Integer.parseInt(memory.replaceAll(".*\\+", "").replace("-global", "")) : 0;
            MemorySegment seg = WeightMemoryKinds.copy(kind, source, arena).asSlice(shift, bytes * copies);
            if (memory.endsWith("-global")) {
                seg = MemorySegment.ofAddress(seg.address()).reinterpret(seg.byteSize());
            }
            System.out.println(memory + ": " + WeightMemoryKinds.hugePages());
            Tensor[] w = new Tensor[copies];
            for (int c = 0; c < copies; c++) {
                w[c] = Tensor.wrap(seg.asSlice(c * bytes, bytes), DType.BF16, n, k);
            }
            MemorySegment segment = seg;
            for (int workers : workerCounts) {
                CpuDevice device = new CpuDevice(workers);
                closing.add(device);
                WorkerPool pool = new WorkerPool(workers, "rank");
                closing.add(pool);
                Ops ops = device.ops();
                for (String variant : variants) {
                    int[] next = {0};
                    Runnable call;
                    if (variant.equals("kernel")) {
                        call = () -> {
                            ops.matmul(x, w[next[0]], null, out);
                            next[0] = (next[0] + 1) % copies;
                        };
                    } else {
                        String loop = variant.replace("-halves", "");
                        Bf16MatvecVariants body = new Bf16MatvecVariants(loop);
                        body.ws = segment;
                        body.k = k;
                        body.x = xSplit;
                        body.out = new float[n];
                        int granule = loop.equals("sum") ? 4 : loop.startsWith("r8") ? 8 : 4;
                        int chunk = variant.endsWith("-halves") ? n / workers : granule;
                        call = () -> {
                            body.wBase = (long) next[0] * bytes;
                            pool.parallelFor(n, chunk, body);
                            next[0] = (next[0] + 1) % copies;
                        };
                    }
                    configs.add(new Config(memory, variant, workers, call, bytes));
                }
            }
        }
        int callsPerRound = (int) Math.max(4, (256L << 20) / bytes);
        double[][] micros = new double[configs.size()][rounds];
        double[][] cpuMicros = new double[configs.size()][rounds];    // the caller's CPU time: alone, w=1 is all of it
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = -3; round < rounds; round++) {     // 3 warm-up rounds
            for (int i = 0; i < configs.size(); i++) {
                Config cf = configs.get(i);
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int c = 0; c < callsPerRound; c++) {
                    cf.call().run();
                }
                long t = System.nanoTime() - t0;
                long ct = threads.getCurrentThreadCpuTime() - c0;
                if (round >= 0) {
                    micros[i][round] = t / 1e3 / callsPerRound;
                    cpuMicros[i][round] = ct / 1e3 / callsPerRound;
                }
            }
        }
        System.out.printf("K=%d N=%d, %d rounds, %d calls per round, medians%n", k, n, rounds, callsPerRound);
        for (int i = 0; i < configs.size(); i++) {
            Config cf = configs.get(i);
            double[] m = micros[i].clone();
            Arrays.sort(m);
            double med = m[m.length / 2];
            double[] cm = cpuMicros[i].clone();
            Arrays.sort(cm);
            System.out.printf("%-12s %-12s w=%d  %9.1f us  %6.1f GB/s   (q1 %.1f, q3 %.1f)  caller cpu %9.1f us%n",
                    cf.memory(), cf.variant(), cf.workers(), med, cf.bytesPerCall() / med / 1e3, m[m.length / 4],
                    m[3 * m.length / 4], cm[cm.length / 2]);
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        arena.close();
    }
}

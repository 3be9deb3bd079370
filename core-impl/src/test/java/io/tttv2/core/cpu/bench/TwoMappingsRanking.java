package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Does it matter which mapping of a weight file a decode matmul reads? {@code bench --profile} loads a model twice in
 * one JVM (the same files mapped twice) and the first load decoded ≈ 8% slower than the second. This maps one file
 * twice and runs the same [N, K] BF16 matmuls over slices of each mapping, alternating (A B B A per round), medians of
 * wall and caller CPU time per call.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp <test classpath>
 * io.tttv2.core.cpu.bench.TwoMappingsRanking FILE K N rounds workers}, e.g. {@code model.safetensors 8192 2048 15 2}.
 */
public final class TwoMappingsRanking {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int k = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int workers = Integer.parseInt(args[4]);
        long bytes = 2L * n * k;
        MemorySegment[] maps = new MemorySegment[2];
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < 2; i++) {
                maps[i] = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            }
        }
        int slices = (int) Math.min(16, (maps[0].byteSize() - 4096) / bytes);
        Tensor[][] w = new Tensor[2][slices];
        for (int i = 0; i < 2; i++) {
            for (int s = 0; s < slices; s++) {
                // 64-byte aligned slices past the header; BF16 bit patterns of any value are fine for timing
                w[i][s] = Tensor.wrap(maps[i].asSlice(4096 + s * bytes, bytes), DType.BF16, n, k);
            }
        }
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, k);
        Random r = new Random(1);
        for (int j = 0; j < k; j++) {
            x.setFloat(r.nextFloat() - 0.5f, 0, j);
        }
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, n);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (CpuDevice device = new CpuDevice(workers)) {
            Ops ops = device.ops();
            double[][] wall = new double[2][2 * rounds];
            double[][] cpu = new double[2][2 * rounds];
            int[] seen = new int[2];
            int[] order = {0, 1, 1, 0};
            for (int round = -2; round < rounds; round++) {
                for (int step = 0; step < order.length; step++) {
                    int m = order[step];
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (int s = 0; s < slices; s++) {
                        ops.matmul(x, w[m][s], null, out);
                    }
                    long t = System.nanoTime() - t0;
                    long c = threads.getCurrentThreadCpuTime() - c0;
                    if (round >= 0) {
                        wall[m][seen[m]] = t / 1e3 / slices;
                        cpu[m][seen[m]++] = c / 1e3 / slices;
                    }
                }
            }
            for (int m = 0; m < 2; m++) {
                double[] ws = wall[m].clone();
                double[] cs = cpu[m].clone();
                Arrays.sort(ws);
                Arrays.sort(cs);
                System.out.printf(Locale.ROOT, "mapping %c: wall %8.1f µs (%.1f GB/s; q1 %.1f, q3 %.1f), caller cpu %8.1f µs%n",
                        'A' + m, ws[ws.length / 2], bytes / ws[ws.length / 2] / 1e3, ws[ws.length / 4],
                        ws[3 * ws.length / 4], cs[cs.length / 2]);
            }
        }
        arena.close();
    }
}

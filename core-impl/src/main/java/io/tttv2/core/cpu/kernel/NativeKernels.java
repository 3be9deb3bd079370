package io.tttv2.core.cpu.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The native int8 kernels (core-impl/src/main/c, built into this bundle as
 * {@code native/linux-x86_64/libtttv2kernels.so}), bound once through the FFM API. They are used only on Linux
 * x86-64 whose CPU has AVX-512 F/BW/VL/VNNI (and the AVX2/FMA/F16C they imply), when
 * {@code -Dtttv2.kernels.native} is not {@code false}, and when the library loaded; otherwise {@link #AVAILABLE}
 * is false, the Java kernels run, and one debug line (info if loading failed on a capable machine) says why.
 *
 * <p>The library is copied out of the bundle to {@code $XDG_CACHE_HOME/tttv2/native} (else
 * {@code ~/.cache/tttv2/native}, else the temp directory) under a name holding its SHA-256, written to a temp
 * file and renamed, so concurrent first starts never see half a file and a rebuilt library gets a new name.
 *
 * <p>Addresses are passed as {@code long} (the SysV ABI passes a pointer and a 64-bit integer alike), so a call
 * allocates nothing; callers pass only native segments. The downcalls are critical without heap access: no
 * upcalls, and each call is at most one pool chunk of work.
 */
public final class NativeKernels {

    private static final System.Logger LOG = System.getLogger(NativeKernels.class.getName());
    private static final String RESOURCE = "/native/linux-x86_64/libtttv2kernels.so";
    private static final List<String> CPU_FLAGS =
            List.of("avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni");

    /** Whether the native kernels are bound (see the class comment). */
    public static final boolean AVAILABLE;
    /** Why they are or are not used: one line. */
    public static final String STATUS;
    /**
     * Null if this machine can execute the library (Linux x86-64, every CPU flag it was compiled for), else why
     * not. Unlike {@link #STATUS} it does not depend on the build, the cache folder or the property: where it is
     * null and the kernels are not {@link #AVAILABLE}, something that should have worked did not.
     */
    public static final String HOST_LIMIT = hostLimit();

    /** {@code tttv2_int8_quantize(x, xRow, m, k, offset, scratch)}: x [M, K] F32 into the int8 scratch (Q4_0). */
    static final MethodHandle QUANTIZE;
    /** {@code tttv2_int16_quantize(x, xRow, m, k, scratch)}: x [M, K] F32 into the int16 scratch (Q8_0). */
    static final MethodHandle QUANTIZE16;
    /** {@code tttv2_q8_0_matmul(scratch, m, k, w, wRowBytes, nFrom, nTo, out, outRow)}. */
    static final MethodHandle Q8_0;
    /** {@code tttv2_q4_0_matmul(...)}: as {@link #Q8_0}. */
    static final MethodHandle Q4_0;
    /**
     * {@code tttv2_bf16_gemm(x, xRow, m, k, w, wRow, nFrom, nTo, bias, out, outRow)}: the BF16 prefill GEMM
     * ({@link NativeBf16Gemm}); bias 0 for none.
     */
    static final MethodHandle BF16_GEMM;
    /** {@code tttv2_bf16_rows_split(x, xRow, m, k, xs)}: x [M, K] F32 into split order (bf16_rows.c). */
    static final MethodHandle BF16_SPLIT;
    /** {@code tttv2_bf16_rows_matmul(xs, m, k, w, wRow, nFrom, nTo, out, outRow)}: BF16 weights, M <= 16. */
    static final MethodHandle BF16_ROWS;
    /** {@code tttv2_paged_attention(...)}: one query row's heads against the paged cache ({@link NativeAttention}). */
    static final MethodHandle ATTENTION;
    /** {@code tttv2_attention_exp(expFn, in, out, n)}: the exp {@link #ATTENTION} calls, for the tests. */
    static final MethodHandle ATTENTION_EXP;

    // ---- row ops (row_ops.c, rotary.c; called through NativeOps). Where it is natural they take as many longs as
    // a kernel above (11, 9, 5): the linker then reuses that signature's stub instead of spinning classes for a
    // new one at bind time (~5 ms each in a fresh JVM).
    /** {@code tttv2_rms_norm(x, xRow, xInner, out, oRow, oInner, rows, h, w, wStride, wDtype, eps, offset)}. */
    static final MethodHandle RMS_NORM;
    /** {@code tttv2_add(a, aRow, aInner, b, bRow, bInner, out, oRow, oInner, rows, n)}. */
    static final MethodHandle ADD;
    /** {@code tttv2_mul(...)}: as {@link #ADD}. */
    static final MethodHandle MUL;
    /** {@code tttv2_silu_gate(gate, gRow, up, uRow, out, oRow, rows, n, exp)}. */
    static final MethodHandle SILU_GATE;
    /** {@code tttv2_gelu_tanh_gate(gate, gRow, up, uRow, out, oRow, rows, n, tanh)}. */
    static final MethodHandle GELU_TANH_GATE;
    /** {@code tttv2_rotary(x, xT, xH, xI, out, oT, oH, oI, cos, cP, cI, cDt, sin, sP, sI, sDt, pos, tokens, heads,
     *  d, half, interleaved)}. */
    static final MethodHandle ROTARY;
    /** {@code tttv2_widen(dtype, src, from, n, dst)}. */
    static final MethodHandle WIDEN;
    /** {@code tttv2_bf16dot_round(x, xRow, m, k, xb)}: x [M, K] F32 rounded into BF16 [M, K up to 32] (bf16_dot.c). */
    static final MethodHandle BF16DOT_ROUND;
    /** {@code tttv2_bf16dot_matmul(xb, m, k, w, wRow, nFrom, nTo, out, outRow)}: the opt-in BF16 precision. */
    static final MethodHandle BF16DOT_MATMUL;
    /**
     * Null if the BF16-precision kernels (bf16_dot.c) can run: the library is bound and the CPU has AVX512_BF16,
     * which the library is not compiled for (its functions opt in one by one, so it loads without it); else why not.
     */
    public static final String BF16_DOT_LIMIT;

    static {
        MethodHandle[] handles = new MethodHandle[18];
        String why = bind(handles);
        AVAILABLE = why == null;
        QUANTIZE = handles[0];
        Q8_0 = handles[1];
        Q4_0 = handles[2];
        QUANTIZE16 = handles[3];
        BF16_GEMM = handles[4];
        BF16_SPLIT = handles[5];
        BF16_ROWS = handles[6];
        RMS_NORM = handles[7];
        ADD = handles[8];
        MUL = handles[9];
        SILU_GATE = handles[10];
        GELU_TANH_GATE = handles[11];
        ROTARY = handles[12];
        WIDEN = handles[13];
        ATTENTION = handles[14];
        ATTENTION_EXP = handles[15];
        BF16DOT_ROUND = handles[16];
        BF16DOT_MATMUL = handles[17];
        BF16_DOT_LIMIT = !AVAILABLE ? "native kernels not used: " + why : missing("avx512_bf16");
        STATUS = AVAILABLE ? "native kernels in use (Q8_0, Q4_0; BF16 rows M <= 16 and prefill GEMM; row ops; paged attention)"
                : "native kernels not used: " + why;
        LOG.log(AVAILABLE || !why.startsWith("loading failed") ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                STATUS);
    }

    private NativeKernels() {
    }

    /** Fills handles and returns null, or returns why not. */
    private static String bind(MethodHandle[] handles) {
        if ("false".equals(System.getProperty("tttv2.kernels.native"))) {
            return "-Dtttv2.kernels.native=false";
        }
        if (HOST_LIMIT != null) {       // initialised above the static block that calls this
            return HOST_LIMIT;
        }
        try {
            Path library = extract();
            SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(false);
            ValueLayout.OfLong j = ValueLayout.JAVA_LONG;
            handles[0] = linker.downcallHandle(lookup.findOrThrow("tttv2_int8_quantize"),
                    FunctionDescriptor.ofVoid(j, j, j, j, ValueLayout.JAVA_INT, j), critical);
            FunctionDescriptor matmul = FunctionDescriptor.ofVoid(j, j, j, j, j, j, j, j, j);
            handles[1] = linker.downcallHandle(lookup.findOrThrow("tttv2_q8_0_matmul"), matmul, critical);
            handles[2] = linker.downcallHandle(lookup.findOrThrow("tttv2_q4_0_matmul"), matmul, critical);
            handles[3] = linker.downcallHandle(lookup.findOrThrow("tttv2_int16_quantize"),
                    FunctionDescriptor.ofVoid(j, j, j, j, j), critical);
            handles[4] = linker.downcallHandle(lookup.findOrThrow("tttv2_bf16_gemm"),
                    FunctionDescriptor.ofVoid(j, j, j, j, j, j, j, j, j, j, j), critical);
            handles[5] = linker.downcallHandle(lookup.findOrThrow("tttv2_bf16_rows_split"),
                    FunctionDescriptor.ofVoid(j, j, j, j, j), critical);
            handles[6] = linker.downcallHandle(lookup.findOrThrow("tttv2_bf16_rows_matmul"), matmul, critical);
            bindRowOps(lookup, linker, critical, handles);
            // paged attention (paged_attention.c): 24 longs, the scale (a float), 6 longs
            ValueLayout[] attention = new ValueLayout[31];
            java.util.Arrays.fill(attention, j);
            attention[24] = ValueLayout.JAVA_FLOAT;
            handles[14] = linker.downcallHandle(lookup.findOrThrow("tttv2_paged_attention"),
                    FunctionDescriptor.ofVoid(attention), critical);
            handles[15] = linker.downcallHandle(lookup.findOrThrow("tttv2_attention_exp"),
                    FunctionDescriptor.ofVoid(j, j, j, j), critical);
            // bf16_dot.c: the opt-in BF16 precision
            handles[16] = linker.downcallHandle(lookup.findOrThrow("tttv2_bf16dot_round"),
                    FunctionDescriptor.ofVoid(j, j, j, j, j), critical);
            handles[17] = linker.downcallHandle(lookup.findOrThrow("tttv2_bf16dot_matmul"), matmul, critical);
            return null;
        } catch (IOException | RuntimeException e) {
            return "loading failed: " + e;
        }
    }

    /** The row ops' handles, from index 7 (NativeOps). */
    private static void bindRowOps(SymbolLookup lookup, Linker linker, Linker.Option critical, MethodHandle[] handles) {
        ValueLayout.OfLong j = ValueLayout.JAVA_LONG;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        handles[7] = linker.downcallHandle(lookup.findOrThrow("tttv2_rms_norm"),
                FunctionDescriptor.ofVoid(j, j, j, j, j, j, j, j, j, j, j, f, f), critical);
        FunctionDescriptor binary = FunctionDescriptor.ofVoid(j, j, j, j, j, j, j, j, j, j, j);
        handles[8] = linker.downcallHandle(lookup.findOrThrow("tttv2_add"), binary, critical);
        handles[9] = linker.downcallHandle(lookup.findOrThrow("tttv2_mul"), binary, critical);
        FunctionDescriptor gate = FunctionDescriptor.ofVoid(j, j, j, j, j, j, j, j, j);
        handles[10] = linker.downcallHandle(lookup.findOrThrow("tttv2_silu_gate"), gate, critical);
        handles[11] = linker.downcallHandle(lookup.findOrThrow("tttv2_gelu_tanh_gate"), gate, critical);
        handles[12] = linker.downcallHandle(lookup.findOrThrow("tttv2_rotary"),
                FunctionDescriptor.ofVoid(j, j, j, j, j, j, j, j, j, j, j, j, j, j, j, j, j, j, j, j, j, j), critical);
        handles[13] = linker.downcallHandle(lookup.findOrThrow("tttv2_widen"),
                FunctionDescriptor.ofVoid(j, j, j, j, j), critical);
    }

    /** {@link #HOST_LIMIT}'s value. */
    private static String hostLimit() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "built for Linux x86-64, this is " + os + " " + arch;
        }
        return missingCpuFlags();
    }

    /** {@link #BF16_DOT_LIMIT} where the library is bound: null if the CPU has {@code flag}, else why not. */
    private static String missing(String flag) {
        return missingCpuFlags(List.of(flag));
    }

    /** Null if /proc/cpuinfo lists every flag the library was compiled for, else which are missing. */
    private static String missingCpuFlags() {
        return missingCpuFlags(CPU_FLAGS);
    }

    private static String missingCpuFlags(List<String> wanted) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    List<String> missing = wanted.stream().filter(f -> !flags.contains(f)).toList();
                    return missing.isEmpty() ? null : "the CPU lacks " + String.join(", ", missing);
                }
            }
            return "/proc/cpuinfo has no flags line";
        } catch (IOException | RuntimeException e) {
            return "cannot read /proc/cpuinfo: " + e.getMessage();
        }
    }

    /** The library as a file named by its content hash in the cache folder (copied there on first use). */
    private static Path extract() throws IOException {
        byte[] bytes;
        try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not in the bundle");
            }
            bytes = in.readAllBytes();
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        IOException first = null;
        for (Path dir : cacheFolders()) {
            try {
                return extractTo(dir, "libtttv2kernels-" + hash + ".so", bytes);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private static Path extractTo(Path dir, String name, byte[] bytes) throws IOException {
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return target;
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, name, ".part");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private static List<Path> cacheFolders() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home", "."), ".cache");
        return List.of(home.resolve("tttv2").resolve("native"),
                Path.of(System.getProperty("java.io.tmpdir")).resolve("tttv2-native"));
    }
}

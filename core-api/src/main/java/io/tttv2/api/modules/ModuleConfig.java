package io.tttv2.api.modules;

import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a module runs: its knobs. Defaults come from the spec and the device ({@link #defaults(int, int, Device)},
 * {@link #defaultKvTile}); an assembly overrides a knob per kind or per module path ({@link #with}), a
 * specialization table replaces them with tuned values. Every knob is honoured by the core implementations of the
 * kinds that take a config (attention, attention backend, MLP, router, mixture of experts, LM head, encoder kinds);
 * a kind a knob does not concern ignores it (kinds without matmuls ignore {@code matmulSplit}, all but the attention
 * backend {@code kvTile}).
 *
 * <p>Knob values travel as integers ({@link #knobs()}, {@link #with}: what assemblies and specialization tables
 * hold); JSON spells them readably — {@code "kvDtype": "BF16"} — and {@link #parse}/{@link #spell} convert.
 *
 * @param maxBatch     sequences one decode step may carry (decode workspaces are sized for it up front,
 *                     so the decode path allocates nothing); the runner's, not overridable per module
 * @param prefillChunk tokens a prefill processes at once (bounds prefill workspaces; longer prompts run
 *                     in chunks)
 * @param matmulSplit  chunks per worker every matmul of the module is split into over its output rows
 *                     ({@link io.tttv2.api.ops.Ops#matmul(io.tttv2.api.tensor.Tensor, io.tttv2.api.tensor.Tensor,
 *                     io.tttv2.api.tensor.Tensor, io.tttv2.api.tensor.Tensor, int)})
 * @param kvTile       cached key/value positions the attention kernels take per online-softmax tile; 0 for
 *                     untiled ({@link io.tttv2.api.ops.AttentionParams#kvTile()})
 * @param kvDtype      the KV cache's element type: F32 (exact), BF16 or F16 (half the bytes); one for the whole
 *                     cache, set on the attention kind (a per-path value must equal it)
 * @param fusedProjections the projections that read the same input (attention's q/k/v, a gated MLP's gate/up) run as
 *                     one matmul op over their weights together ({@link io.tttv2.api.ops.Ops#matmulGroup}): x is read
 *                     once and the workers are entered once; the outputs are the separate matmuls' bit for bit
 */
public record ModuleConfig(int maxBatch, int prefillChunk, int matmulSplit, int kvTile, DType kvDtype,
                           boolean fusedProjections) {

    public static final int DEFAULT_MAX_BATCH = 16;
    public static final int DEFAULT_PREFILL_CHUNK = 512;
    /** Chunks per worker when the device has several workers: enough to even out a descheduled one. */
    public static final int DEFAULT_MATMUL_SPLIT = 4;
    /**
     * Bytes of one tile's keys and values (F32) the default {@link #kvTile} aims at: half of a 256 KiB L2, the
     * smallest per-core L2 of the x86 and ARM server cores we run on, so a tile read in pass 1 is still cached in
     * pass 2 and the query, accumulator and scores have the rest.
     */
    public static final int KV_TILE_BYTES = 128 * 1024;

    /** The knobs an assembly or a specialization table may set, by their JSON names. */
    public static final List<String> KNOBS = List.of("prefillChunk", "matmulSplit", "kvTile", "kvDtype", "fusedProjections");
    /**
     * Projections separate by default: on a loaded 2-core machine, seven alternating kjv-tiny bench pairs gave fused
     * decode a median of 0.85× the separate matmuls' tokens/s (run-to-run noise ±50 %), two 1B-shaped pairs could not
     * tell them apart; no weight is copied either way. Fusing stays a knob for {@code tune} to try per machine.
     */
    public static final boolean DEFAULT_FUSED_PROJECTIONS = false;

    /** The element types the KV cache may hold; {@code kvDtype}'s integer value is the index in this list. */
    public static final List<DType> KV_DTYPES = List.of(DType.F32, DType.BF16, DType.F16);

    public ModuleConfig {
        if (maxBatch <= 0 || prefillChunk <= 0 || matmulSplit <= 0 || kvTile < 0) {
            throw new IllegalArgumentException("maxBatch, prefillChunk and matmulSplit must be positive and kvTile"
                    + " at least 0, found " + maxBatch + ", " + prefillChunk + ", " + matmulSplit + ", " + kvTile);
        }
        if (!KV_DTYPES.contains(kvDtype)) {
            throw new IllegalArgumentException("knob 'kvDtype' expected one of " + KV_DTYPES + ", found " + kvDtype);
        }
    }

    /** The knobs before 2.3: untiled attention, an F32 KV cache, separate projections. */
    public ModuleConfig(int maxBatch, int prefillChunk, int matmulSplit) {
        this(maxBatch, prefillChunk, matmulSplit, 0, DType.F32, DEFAULT_FUSED_PROJECTIONS);
    }

    /** The knobs before 2.2, with the default matmul split. */
    public ModuleConfig(int maxBatch, int prefillChunk) {
        this(maxBatch, prefillChunk, DEFAULT_MATMUL_SPLIT);
    }

    /** The defaults: room for {@value #DEFAULT_MAX_BATCH} sequences and {@value #DEFAULT_PREFILL_CHUNK}-token chunks. */
    public static ModuleConfig defaults() {
        return new ModuleConfig(DEFAULT_MAX_BATCH, DEFAULT_PREFILL_CHUNK);
    }

    /**
     * Defaults for a runner on {@code device}: one chunk per matmul on a single worker (a split would only add
     * claims), {@value #DEFAULT_MATMUL_SPLIT} per worker otherwise.
     */
    public static ModuleConfig defaults(int maxBatch, int prefillChunk, Device device) {
        return new ModuleConfig(maxBatch, prefillChunk, device.parallelism() <= 1 ? 1 : DEFAULT_MATMUL_SPLIT);
    }

    /**
     * The default KV tile of an attention with keys of {@code keyDim} and values of {@code valueDim} elements per
     * head: the positions whose F32 keys and values fill {@link #KV_TILE_BYTES}, rounded down to a power of two,
     * between 64 and 4096 (a head dim of 64 gives 256, 128 gives 128… clamped to 64).
     */
    public static int defaultKvTile(int keyDim, int valueDim) {
        int perPosition = 4 * Math.max(1, keyDim + valueDim);
        int n = Integer.highestOneBit(Math.max(1, KV_TILE_BYTES / perPosition));
        return Math.clamp(n, 64, 4096);
    }

    /** This config with {@code tile} key/value positions per attention tile (0: untiled). */
    public ModuleConfig withKvTile(int tile) {
        return new ModuleConfig(maxBatch, prefillChunk, matmulSplit, tile, kvDtype, fusedProjections);
    }

    /** This config with the KV cache holding {@code dtype}. */
    public ModuleConfig withKvDtype(DType dtype) {
        return new ModuleConfig(maxBatch, prefillChunk, matmulSplit, kvTile, dtype, fusedProjections);
    }

    /** This config with the projections fused or not. */
    public ModuleConfig withFusedProjections(boolean fused) {
        return new ModuleConfig(maxBatch, prefillChunk, matmulSplit, kvTile, kvDtype, fused);
    }

    /**
     * The knobs as name → integer value, sorted ({@link #KNOBS} plus maxBatch): what tables hold. kvDtype is its
     * index in {@link #KV_DTYPES}; {@link #settings()} spells it.
     */
    public Map<String, Integer> knobs() {
        Map<String, Integer> out = new TreeMap<>();
        out.put("maxBatch", maxBatch);
        out.put("prefillChunk", prefillChunk);
        out.put("matmulSplit", matmulSplit);
        out.put("kvTile", kvTile);
        out.put("kvDtype", KV_DTYPES.indexOf(kvDtype));
        out.put("fusedProjections", fusedProjections ? 1 : 0);
        return out;
    }

    /** The knobs as name → JSON value, sorted: numbers, kvDtype by name, fusedProjections as a boolean (what dumps show). */
    public Map<String, Object> settings() {
        Map<String, Object> out = new LinkedHashMap<>();
        knobs().forEach((k, v) -> out.put(k, spell(k, v)));
        return out;
    }

    /**
     * A knob's integer value as JSON shows it: kvDtype by name ({@code "BF16"}), fusedProjections as a boolean, the
     * others as numbers.
     */
    public static Object spell(String knob, int value) {
        if (knob.equals("fusedProjections") && (value == 0 || value == 1)) {
            return value == 1;
        }
        if (knob.equals("kvDtype")) {
            return value >= 0 && value < KV_DTYPES.size() ? KV_DTYPES.get(value).name() : Integer.valueOf(value);
        }
        return value;
    }

    /**
     * A knob's value as JSON spells it ({@code Integer}, {@code Long}, {@code String} or {@code Boolean}), as the
     * integer {@link #with} takes.
     *
     * @throws IllegalArgumentException naming the knob, what it takes and what was found
     */
    public static int parse(String knob, Object spelled) {
        if (!KNOBS.contains(knob)) {
            throw new IllegalArgumentException("knob '" + knob + "' expected one of " + String.join(", ", KNOBS)
                    + ", found an unknown knob");
        }
        if (knob.equals("kvDtype")) {
            if (spelled instanceof String s) {
                for (int i = 0; i < KV_DTYPES.size(); i++) {
                    if (KV_DTYPES.get(i).name().equalsIgnoreCase(s)) {
                        return i;
                    }
                }
            }
            throw new IllegalArgumentException("knob 'kvDtype' expected one of \"F32\", \"BF16\", \"F16\", found "
                    + quoted(spelled));
        }
        if (knob.equals("fusedProjections")) {
            if (spelled instanceof Boolean b) {
                return b ? 1 : 0;
            }
            throw new IllegalArgumentException("knob 'fusedProjections' expected true or false, found " + quoted(spelled));
        }
        if ((spelled instanceof Integer || spelled instanceof Long) && ((Number) spelled).longValue() >= minimum(knob)
                && ((Number) spelled).longValue() <= Integer.MAX_VALUE) {
            return ((Number) spelled).intValue();
        }
        throw new IllegalArgumentException("knob '" + knob + "' expected " + expected(knob) + ", found " + quoted(spelled));
    }

    private static String quoted(Object spelled) {
        return spelled instanceof String s ? "\"" + s + "\"" : String.valueOf(spelled);
    }

    private static int minimum(String knob) {
        return knob.equals("kvTile") ? 0 : 1;
    }

    private static String expected(String knob) {
        return knob.equals("kvTile") ? "an integer >= 0 (0: untiled)" : "a positive integer";
    }

    /**
     * This config with {@code overrides} (knob name → integer value, {@link #knobs()}'s encoding) in place of its
     * own values.
     *
     * @throws IllegalArgumentException naming a knob not in {@link #KNOBS} or a value out of its range
     */
    public ModuleConfig with(Map<String, Integer> overrides) {
        int chunk = prefillChunk;
        int split = matmulSplit;
        int tile = kvTile;
        DType dtype = kvDtype;
        boolean fused = fusedProjections;
        for (Map.Entry<String, Integer> e : overrides.entrySet()) {
            int v = e.getValue();
            switch (e.getKey()) {
                case "prefillChunk" -> chunk = parse(e.getKey(), v);
                case "matmulSplit" -> split = parse(e.getKey(), v);
                case "kvTile" -> tile = parse(e.getKey(), v);
                case "kvDtype" -> {
                    if (v < 0 || v >= KV_DTYPES.size()) {
                        throw new IllegalArgumentException("knob 'kvDtype' expected one of " + KV_DTYPES
                                + " (0.." + (KV_DTYPES.size() - 1) + "), found " + v);
                    }
                    dtype = KV_DTYPES.get(v);
                }
                case "fusedProjections" -> {
                    if (v != 0 && v != 1) {
                        throw new IllegalArgumentException("knob 'fusedProjections' expected 0 or 1 (false or true), found " + v);
                    }
                    fused = v == 1;
                }
                default -> throw new IllegalArgumentException("knob '" + e.getKey() + "' expected one of "
                        + String.join(", ", KNOBS) + ", found an unknown knob");
            }
        }
        return new ModuleConfig(maxBatch, chunk, split, tile, dtype, fused);
    }
}

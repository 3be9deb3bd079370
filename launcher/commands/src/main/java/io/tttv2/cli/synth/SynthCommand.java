package io.tttv2.cli.synth;

import io.tttv2.cli.UserError;
import io.tttv2.integration.hf.safetensors.Dtype;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tttv2 synth}: a randomly initialised checkpoint of a real model's shape, so that anyone can measure
 * speed and memory on a 1B model without downloading one.
 */
@Command(name = "synth",
        description = {
        "Write a randomly initialised HF checkpoint of a real model's shape (config.json, safetensors, tokenizer).",
        "Weights are drawn from N(0, 0.02)-like values rounded to bfloat16, norms are 1, biases 0; the same",
        "--seed gives the same model in every --dtype (an F32 checkpoint is the float32 reference of the BF16 one).",
        "The tokenizer is the embedded kjv-tiny model's; --vocab defaults to its size."})
public final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "NAME",
            description = "llama-3.2-1b, qwen2.5-0.5b, tinyllama-1.1b, or tiny (a 2-layer Llama-3.2-like model for tests).")
    String preset;

    @Option(names = "--vocab", paramLabel = "N", description = "Embedding rows (default: the tokenizer's size; at least that).")
    Integer vocab;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "bf16", description = "bf16, f16 or f32 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (created; files in it are replaced).")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layers", paramLabel = "N", description = "Fewer (or more) layers than the preset, same width.")
    Integer layers;

    /** An embedding past this many rows is a typo, not a model. */
    static final int MAX_VOCAB = 1 << 20;
    static final int MAX_LAYERS = 1024;

    private final Supplier<Path> home;

    public SynthCommand(Supplier<Path> home) {
        this.home = home;
    }

    @Override
    public Integer call() throws IOException {
        SynthPreset shape;
        try {
            shape = SynthPreset.named(preset);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), 2, e);
        }
        Dtype type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "bf16" -> Dtype.BF16;
            case "f16" -> Dtype.F16;
            case "f32" -> Dtype.F32;
            default -> throw new UserError("--dtype expected bf16, f16 or f32, found '" + dtype + "'", 2, null);
        };
        if (layers != null) {
            if (layers < 1 || layers > MAX_LAYERS) {
                throw new UserError("--layers expected 1 .. " + MAX_LAYERS + ", found " + layers, 2, null);
            }
            shape = shape.withLayers(layers);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + ": expected a folder (or nothing there), found a file", 2, null);
        }
        Path tokenizerDir = home.get().resolve("models/kjv-tiny");
        EmbeddedTokenizer tokenizer = EmbeddedTokenizer.read(tokenizerDir);
        int rows = vocab != null ? vocab : tokenizer.size();
        if (rows < tokenizer.size() || rows > MAX_VOCAB) {
            throw new UserError("--vocab expected " + tokenizer.size() + " .. " + MAX_VOCAB
                    + " (the tokenizer's ids must have rows), found " + rows, 2, null);
        }
        long start = System.nanoTime();
        long parameters = new SyntheticCheckpoint(shape, rows, type, seed, tokenizerDir, tokenizer.special(),
                SyntheticCheckpoint.MAX_SHARD_BYTES).write(out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %s: %s (%s), %d layers, vocab %d, %,d parameters, %s, seed %d, in %.1f s%n", out,
                shape.name(), shape.architecture(), shape.layers(), rows, parameters, type, seed,
                (System.nanoTime() - start) / 1e9);
        w.flush();
        return 0;
    }
}

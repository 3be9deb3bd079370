package io.tttv2.cli.convert;

import io.tttv2.cli.UserError;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.gguf.GgmlType;
import io.tttv2.integration.hf.gguf.GgufModelWriter;
import io.tttv2.integration.hf.gguf.GgufValue;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.integration.tokenizers.TokenizerGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tttv2 convert --to gguf[:TYPE] --model DIR --out FILE}: a HF checkpoint folder as a GGUF model file that
 * llama.cpp loads (and this project too), written atomically.
 */
@Command(name = "convert", description = {
        "Write a HF model folder as a GGUF model file, for llama.cpp or --model FILE.gguf here.",
        "Metadata, tokenizer and tensors as llama.cpp's converter writes them; the file appears whole or not at all."})
public final class ConvertCommand implements Callable<Integer> {
    /** The embedded default model, under the distribution's home. */
    static final String DEFAULT_MODEL = "models/kjv-tiny";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "FORMAT",
            description = "gguf (matrices as stored), gguf:f32, gguf:f16, gguf:bf16, gguf:q8_0, or gguf:q4_0 (embedding and head then Q8_0).")
    String to;

    @Option(names = "--model", paramLabel = "DIR", description = "HF model folder (default: the embedded kjv-tiny).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The GGUF file to write.")
    Path out;

    private final Supplier<Path> home;

    public ConvertCommand(Supplier<Path> home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        GgmlType type = matrixType(to);
        Path dir = model != null ? model : home.get().resolve(DEFAULT_MODEL);
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such model folder (convert reads a HF model folder)");
        }
        try {
            HfConfig config = HfConfig.read(dir.resolve("config.json"));
            // a folder without tokenizer.json (a test fixture) is written without one: this project loads such a file,
            // llama.cpp does not
            boolean hasTokenizer = Files.isRegularFile(dir.resolve("tokenizer.json"));
            Map<String, GgufValue> tokenizer = !hasTokenizer ? Map.of() : TokenizerGguf.metadata(dir,
                    config.bosTokenId().orElse(null), config.eosTokenIds().isEmpty() ? null : config.eosTokenIds().get(0));
            Path name = dir.toAbsolutePath().normalize().getFileName();
            try (Checkpoint checkpoint = Checkpoint.open(dir)) {
                GgufModelWriter.write(config, checkpoint, name == null ? "model" : name.toString(), type, tokenizer, out);
            }
        } catch (ConfigFormatException | CheckpointFormatException | TokenizerException e) {
            throw new UserError(e.getMessage(), 1, e);
        } catch (IOException e) {
            throw new UserError(out + ": cannot be written (" + e.getMessage() + ")", 1, e);
        }
        spec.commandLine().getOut().println("wrote " + out + (Files.isRegularFile(dir.resolve("tokenizer.json")) ? ""
                : " (no tokenizer: " + dir + " has no tokenizer.json)"));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** {@code gguf} → null (as stored); {@code gguf:f16} → F16; anything else one line (exit 2). */
    static GgmlType matrixType(String to) {
        String t = to.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "gguf" -> null;
            case "gguf:f32" -> GgmlType.F32;
            case "gguf:f16" -> GgmlType.F16;
            case "gguf:bf16" -> GgmlType.BF16;
            case "gguf:q8_0" -> GgmlType.Q8_0;
            case "gguf:q4_0" -> GgmlType.Q4_0;
            default -> throw new UserError("--to: expected gguf, gguf:f32, gguf:f16, gguf:bf16, gguf:q8_0 or gguf:q4_0, "
                    + "found '" + to + "'", 2, null);
        };
    }
}

package io.tttv2.cli;

import io.tttv2.api.tensor.DType;
import picocli.CommandLine.Option;

/** {@code --quantize q8_0|q4_0}, shared by the model commands: the linear weights quantised at load. */
public final class QuantizeOption {

    @Option(names = "--quantize", paramLabel = "TYPE", description = {
            "Quantise the linear layers' float weights (projections, MLP, experts, lm_head) at load: q8_0 or q4_0",
            "(GGUF's block layouts, 32 values per F16 scale). Norms and embeddings stay as stored."})
    String quantize;

    /** The type asked for, or null for weights as stored. */
    public DType type() {
        if (quantize == null) {
            return null;
        }
        return switch (quantize.toLowerCase(java.util.Locale.ROOT)) {
            case "q8_0" -> DType.Q8_0;
            case "q4_0" -> DType.Q4_0;
            default -> throw new UserError("--quantize: expected q8_0 or q4_0, found '" + quantize + "'", 2, null);
        };
    }
}

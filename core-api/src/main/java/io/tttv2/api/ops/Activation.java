package io.tttv2.api.ops;

/** Element-wise activations, by HuggingFace's {@code hidden_act} names ({@link #of(String)}). */
public enum Activation {
    /** x·sigmoid(x) ({@code silu}, {@code swish}). */
    SILU,
    /** The exact GELU, x·Φ(x) ({@code gelu}). */
    GELU,
    /** The tanh approximation ({@code gelu_pytorch_tanh}, {@code gelu_new}, {@code gelu_fast}). */
    GELU_TANH,
    RELU;

    /** The activation HF names {@code hiddenAct}; throws naming it if unsupported. */
    public static Activation of(String hiddenAct) {
        return switch (hiddenAct) {
            case "silu", "swish" -> SILU;
            case "gelu" -> GELU;
            case "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "gelu_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("unsupported activation '" + hiddenAct
                    + "', expected one of silu, gelu, gelu_pytorch_tanh, gelu_new, relu");
        };
    }
}

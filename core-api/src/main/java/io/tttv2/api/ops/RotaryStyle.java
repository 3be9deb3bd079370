package io.tttv2.api.ops;

/** Which elements of a head rotate together. */
public enum RotaryStyle {
    /** Element i pairs with i + rotaryDim/2 (HF's {@code rotate_half}: Llama, GPT-NeoX, most models). */
    HALF,
    /** Element 2i pairs with 2i+1 (GPT-J, DeepSeek's interleaved rope). */
    INTERLEAVED
}

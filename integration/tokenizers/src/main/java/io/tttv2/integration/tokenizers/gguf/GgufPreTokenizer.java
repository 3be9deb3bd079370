package io.tttv2.integration.tokenizers.gguf;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The byte-level pre-tokenizers llama.cpp knows by {@code tokenizer.ggml.pre}, as the split regex HF's
 * tokenizer.json spells (llama.cpp's own spelling of the same expression may differ, e.g.
 * {@code '[sS]|…} for {@code (?i:'s|…)}).
 */
enum GgufPreTokenizer {
    /** Llama 3 (llama.cpp's LLAMA_VOCAB_PRE_TYPE_LLAMA3): digits in groups of up to three. */
    LLAMA_BPE("llama-bpe", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /** Qwen2/2.5/3: the same with single digits. */
    QWEN2("qwen2", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /** GPT-2's expression (llama.cpp's default and gpt-2 pre-tokenizers). */
    GPT2("gpt-2", "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    final String ggufName;
    final String regex;

    GgufPreTokenizer(String ggufName, String regex) {
        this.ggufName = ggufName;
        this.regex = regex;
    }

    /** The pre-tokenizer named {@code name}; "default" and a missing key are GPT-2's. */
    static Optional<GgufPreTokenizer> ofGguf(String name) {
        return switch (name) {
            case "default", "gpt2", "gpt-2" -> Optional.of(GPT2);
            case "llama3", "llama-v3", "llama-bpe" -> Optional.of(LLAMA_BPE);
            case "qwen2" -> Optional.of(QWEN2);
            default -> Optional.empty();
        };
    }

    /** The pre-tokenizer whose regex a tokenizer.json's Split uses. */
    static Optional<GgufPreTokenizer> ofRegex(String regex) {
        String canonical = regex.replace("(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])",
                "(?i:'s|'t|'re|'ve|'m|'ll|'d)");
        return Arrays.stream(values()).filter(p -> p.regex.equals(canonical)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(p -> p.ggufName).collect(Collectors.joining(", ")) + ", default";
    }
}

package io.tttv2.integration.tokenizers;

import io.tttv2.integration.hf.gguf.GgufValue;
import io.tttv2.integration.tokenizers.gguf.TokenizerGgufMetadata;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model folder's tokenizer as GGUF metadata, for writing a GGUF model llama.cpp tokenises as this library does
 * (reading goes through {@link Tokenizer#load} and {@link ChatTemplate#load}, which take a GGUF file too).
 */
public final class TokenizerGguf {
    private TokenizerGguf() {
    }

    /**
     * The {@code tokenizer.ggml.*} and {@code tokenizer.chat_template} metadata of the byte-level BPE tokenizer in
     * {@code modelDirectory} (tokenizer.json, tokenizer_config.json, chat_template.jinja).
     *
     * @param bosId config.json's bos_token_id, used when tokenizer_config.json names no bos_token (may be null)
     * @param eosId likewise for the EOS token
     * @throws TokenizerException one line naming the file and what is not converted (e.g. a SentencePiece model)
     */
    public static Map<String, GgufValue> metadata(Path modelDirectory, Integer bosId, Integer eosId) {
        return TokenizerGgufMetadata.of(modelDirectory, bosId, eosId);
    }
}

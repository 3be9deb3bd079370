package io.tttv2.integration.tokenizers;

import io.tttv2.integration.hf.gguf.GgufFile;
import io.tttv2.integration.tokenizers.gguf.GgufTokenizers;
import io.tttv2.integration.tokenizers.pipeline.TokenizerLoader;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A HuggingFace tokenizer loaded from a {@code tokenizer.json}. Immutable and safe to share between threads.
 */
@ProviderType
public interface Tokenizer {

    /**
     * Loads {@code tokenizer.json}, or the tokenizer of a GGUF model file ({@code tokenizer.ggml.*}: gpt2 byte-level
     * BPE or llama SentencePiece, tokenising as llama.cpp does).
     *
     * @throws TokenizerException (one line naming the file, and for an unsupported component its JSON path and type)
     */
    static Tokenizer load(Path tokenizerJson) {
        return GgufFile.isGguf(tokenizerJson) ? GgufTokenizers.tokenizer(tokenizerJson)
                : TokenizerLoader.load(tokenizerJson);
    }

    /**
     * Encodes one sequence. {@code addSpecialTokens} only controls the post-processor (e.g. {@code <s>} or
     * {@code [CLS] … [SEP]}); special tokens written in the text are always recognised.
     */
    Encoding encode(String text, boolean addSpecialTokens);

    /**
     * Encodes a text or a pair of texts (HF's {@code tokenizer(first, second)}), with token type ids: the first
     * text's tokens of type 0, the second's as the post-processor says (BERT: 1). With {@code maxLength > 0}
     * the tokens are truncated as HF's {@code truncation="longest_first"} does: the special tokens are kept,
     * and the longer text loses tokens from its end until the whole fits in {@code maxLength}.
     *
     * @param second    the second text of a pair, or null
     * @param maxLength the most tokens, special tokens included; 0 for no truncation
     * @throws TokenizerException if {@code maxLength} leaves no room for the special tokens
     */
    Encoding encode(String first, String second, boolean addSpecialTokens, int maxLength);

    /** The most tokens {@link #encode(String, String, boolean, int)} adds around a text (or a pair) as special tokens. */
    int addedTokens(boolean pair);

    /** Decodes ids to text; unknown ids are ignored, as HuggingFace does. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** The id of a token (added tokens first, then the model's vocabulary), or -1 if there is none. */
    int tokenId(String token);

    /** The token of an id (added tokens first, then the model's vocabulary), or null if there is none. */
    String idToToken(int id);

    /** The number of distinct ids: the model's vocabulary together with the added tokens. */
    int vocabSize();

    /** Ids of the added tokens marked {@code special}, ascending. */
    int[] specialTokenIds();

    /** Whether {@code id} is an added token marked {@code special}. */
    boolean isSpecial(int id);

    /** A new incremental decoder for generated ids (not thread-safe: one per generation stream). */
    StreamingDecoder streamingDecoder(boolean skipSpecialTokens);
}

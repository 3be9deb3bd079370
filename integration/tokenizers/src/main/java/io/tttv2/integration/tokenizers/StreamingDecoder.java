package io.tttv2.integration.tokenizers;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns generated ids into text as they arrive. A piece is released only once it is final: never half of a
 * multi-byte character split over byte-level or byte-fallback tokens, and with the leading space of a
 * SentencePiece token ({@code ▁the} → {@code " the"}) that the decoder strips from a sequence's first token.
 * Follows HuggingFace's {@code DecodeStream}: concatenating every piece returned gives {@code decode(allIds)}
 * as long as the ids form valid text. One instance per stream; not thread-safe.
 */
@ProviderType
public interface StreamingDecoder {

    /** Feeds one id; returns the new text it completes, or the empty string if it completes none yet. */
    String next(int id);

    /** Returns what is still held back (e.g. an incomplete character at the end of a stream) and resets. */
    String flush();
}

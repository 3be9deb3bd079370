package io.tttv2.integration.tokenizers.processor;

import io.tttv2.integration.tokenizers.Encoding;
import java.util.List;

/**
 * Adds special tokens around one encoded sequence or a pair and sets the segments (HF
 * {@code PostProcessor::process_encodings}). The parts come in as HF encodes them — the first sequence of type 0,
 * the second of type 1 — and the caller joins what the last step returns, one after the other.
 */
public interface PostProcessor {

    /**
     * @param parts the sequence, or the two of a pair
     * @return the parts after this step (a template joins them into one)
     */
    List<Encoding> process(List<Encoding> parts, boolean addSpecialTokens);

    /** How many special tokens {@link #process} adds to a single sequence or a pair (HF's {@code added_tokens(is_pair)}). */
    int addedTokens(boolean pair);

    /** {@code ByteLevel} as a post-processor only trims offsets, which this project does not track. */
    PostProcessor BYTE_LEVEL = new PostProcessor() {
        @Override
        public List<Encoding> process(List<Encoding> parts, boolean addSpecialTokens) {
            return parts;
        }

        @Override
        public int addedTokens(boolean pair) {
            return 0;
        }
    };
}

package io.tttv2.integration.tokenizers.processor;

import io.tttv2.integration.tokenizers.Encoding;

/**
 * Adds special tokens around one encoded sequence (HF {@code PostProcessor::process} for a single sequence).
 * When {@code addSpecialTokens} is false every processor returns the encoding unchanged.
 */
@FunctionalInterface
public interface PostProcessor {
    Encoding process(Encoding encoding, boolean addSpecialTokens);

    /** {@code ByteLevel} as a post-processor only trims offsets, which this project does not track. */
    PostProcessor BYTE_LEVEL = (encoding, addSpecialTokens) -> encoding;
}

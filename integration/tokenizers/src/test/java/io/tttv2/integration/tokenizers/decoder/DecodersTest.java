package io.tttv2.integration.tokenizers.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.integration.tokenizers.pretokenizer.SplitPattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoders with the semantics of HuggingFace's Rust implementation. */
class DecodersTest {

    @Test
    void byteFallbackJoinsValidRunsAndReplacesEachByteOfAnInvalidOne() {
        ByteFallbackDecoder decoder = new ByteFallbackDecoder();
        assertEquals(List.of("日", "a"), decoder.decodeChain(List.of("<0xE6>", "<0x97>", "<0xA5>", "a")));
        assertEquals(List.of("\uFFFD", "\uFFFD", "a"), decoder.decodeChain(List.of("<0xE6>", "<0x97>", "a")));
        assertEquals(List.of("<0xZZ>", "<0x4>"), decoder.decodeChain(List.of("<0xZZ>", "<0x4>")));
    }

    @Test
    void byteLevelDecodesAcrossTokensAndKeepsForeignTokensAsTheyAre() {
        ByteLevelDecoder decoder = new ByteLevelDecoder();
        assertEquals("Hello 日", decoder.decode(List.of("Hello", "Ġæ", "Ĺ", "¥")));
        assertEquals("<|im_start|>▁x", decoder.decode(List.of("<|im_start|>", "▁x")));
        assertEquals("a\uFFFDb", decoder.decode(List.of("a", "æ", "b")), "a lone lead byte is one replacement");
    }

    @Test
    void metaspaceDropsTheFirstReplacementOnlyWhenOneWasPrepended() {
        assertEquals("Hey friend", new MetaspaceDecoder('▁', true).decode(List.of("▁Hey", "▁friend")));
        assertEquals(" Hey friend", new MetaspaceDecoder('▁', false).decode(List.of("▁Hey", "▁friend")));
    }

    @Test
    void wordPieceJoinsContinuationsAndCleansUp() {
        WordPieceDecoder decoder = new WordPieceDecoder("##", true);
        assertEquals("hello, world! do n ' t", decoder.decode(List.of("hel", "##lo", ",", "world", "!", "do", "n", "'", "t")));
        assertEquals("unaffable.", decoder.decode(List.of("una", "##ff", "##able", ".")));
        assertEquals("I'm", decoder.decode(List.of("I", "'m")));
    }

    @Test
    void stripFuseReplaceAndSequence() {
        assertEquals(List.of("ab", "c "), new StripDecoder(' ', 1, 0).decodeChain(List.of(" ab", "c ")));
        assertEquals(List.of("ab", "c"), new StripDecoder(' ', 0, 1).decodeChain(List.of("ab ", "c ")));
        assertEquals(List.of("abc"), new FuseDecoder().decodeChain(List.of("a", "b", "c")));
        Decoder llama = new DecoderSequence(List.of(new ReplaceDecoder(SplitPattern.literal("▁"), " "),
                new ByteFallbackDecoder(), new FuseDecoder(), new StripDecoder(' ', 1, 0)));
        assertEquals("Hi 日", llama.decode(List.of("▁Hi", "▁", "<0xE6>", "<0x97>", "<0xA5>")));
        assertEquals("hello world", new BpeSuffixDecoder("</w>").decode(List.of("hel", "lo</w>", "world</w>")));
    }
}

package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.decoder.BpeSuffixDecoder;
import io.tttv2.integration.tokenizers.decoder.ByteFallbackDecoder;
import io.tttv2.integration.tokenizers.decoder.ByteLevelDecoder;
import io.tttv2.integration.tokenizers.decoder.Decoder;
import io.tttv2.integration.tokenizers.decoder.DecoderSequence;
import io.tttv2.integration.tokenizers.decoder.FuseDecoder;
import io.tttv2.integration.tokenizers.decoder.MetaspaceDecoder;
import io.tttv2.integration.tokenizers.decoder.ReplaceDecoder;
import io.tttv2.integration.tokenizers.decoder.StripDecoder;
import io.tttv2.integration.tokenizers.decoder.WordPieceDecoder;
import io.tttv2.integration.tokenizers.json.JsonValue;
import io.tttv2.integration.tokenizers.pretokenizer.Metaspace;

/** Reads {@code decoder} of {@code tokenizer.json}. */
final class DecoderReader {
    static final String SUPPORTED =
            "ByteLevel, Metaspace, WordPiece, ByteFallback, Fuse, Strip, Replace, BPEDecoder, Sequence";

    private DecoderReader() {
    }

    /** The decoder, or null when the value is null. */
    static Decoder read(JsonValue json) {
        if (json.isNull()) {
            return null;
        }
        String type = json.type();
        return switch (type) {
            case "ByteLevel" -> new ByteLevelDecoder();
            case "Metaspace" -> new MetaspaceDecoder(PreTokenizerReader.replacement(json),
                    PreTokenizerReader.prependScheme(json) != Metaspace.PrependScheme.NEVER);
            case "WordPiece" -> new WordPieceDecoder(json.string("prefix", "##"), json.bool("cleanup", true));
            case "ByteFallback" -> new ByteFallbackDecoder();
            case "Fuse" -> new FuseDecoder();
            case "Strip" -> {
                String content = json.string("content");
                if (content.codePointCount(0, content.length()) != 1) {
                    throw json.get("content").error("must be one character, found '" + content + "'");
                }
                yield new StripDecoder(content.codePointAt(0), json.integer("start", 0), json.integer("stop", 0));
            }
            case "Replace" -> new ReplaceDecoder(PatternReader.read(json.required("pattern")), json.string("content"));
            case "BPEDecoder" -> new BpeSuffixDecoder(json.string("suffix", "</w>"));
            case "Sequence" -> new DecoderSequence(
                    json.required("decoders").elements().stream().map(DecoderReader::read).toList());
            default -> throw json.unsupported("decoder", type, SUPPORTED);
        };
    }
}

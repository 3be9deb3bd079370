package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.json.JsonValue;
import io.tttv2.integration.tokenizers.processor.PostProcessor;
import io.tttv2.integration.tokenizers.processor.ProcessorSequence;
import io.tttv2.integration.tokenizers.processor.SpecialTokenTemplate;
import io.tttv2.integration.tokenizers.processor.SpecialTokenTemplate.SequencePiece;
import io.tttv2.integration.tokenizers.processor.SpecialTokenTemplate.SpecialPiece;
import io.tttv2.integration.tokenizers.processor.SpecialTokenTemplate.TemplatePiece;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** Reads {@code post_processor} of {@code tokenizer.json}. */
final class PostProcessorReader {
    static final String SUPPORTED = "TemplateProcessing, ByteLevel, BertProcessing, RobertaProcessing, Sequence";

    private PostProcessorReader() {
    }

    /** The post-processor, or null when the value is null; every id it inserts must be {@code known}. */
    static PostProcessor read(JsonValue json, IntPredicate known) {
        if (json.isNull()) {
            return null;
        }
        String type = json.type();
        return switch (type) {
            case "TemplateProcessing" -> template(json, known);
            case "ByteLevel" -> PostProcessor.BYTE_LEVEL;
            case "BertProcessing", "RobertaProcessing" -> {
                SpecialPiece cls = tokenAndId(json.required("cls"), known);
                SpecialPiece sep = tokenAndId(json.required("sep"), known);
                yield new SpecialTokenTemplate(List.of(cls, new SequencePiece("A"), sep));
            }
            case "Sequence" -> new ProcessorSequence(
                    json.required("processors").elements().stream().map(p -> read(p, known)).toList());
            default -> throw json.unsupported("post-processor", type, SUPPORTED);
        };
    }

    /** {@code ["[CLS]", 101]}. */
    private static SpecialPiece tokenAndId(JsonValue json, IntPredicate known) {
        List<JsonValue> parts = json.elements();
        if (parts.size() != 2) {
            throw json.error("expected [token, id], found " + json.node());
        }
        return new SpecialPiece(new int[] {knownId(parts.get(1), known)}, List.of(parts.get(0).asString()));
    }

    private static int knownId(JsonValue json, IntPredicate known) {
        int id = json.asId();
        if (!known.test(id)) {
            throw json.error("is id " + id + ", which is neither in the model's vocab nor in added_tokens");
        }
        return id;
    }

    private static SpecialTokenTemplate template(JsonValue json, IntPredicate known) {
        Map<String, JsonValue> specials = json.has("special_tokens") ? json.get("special_tokens").members() : Map.of();
        JsonValue single = json.required("single");
        List<TemplatePiece> pieces = new ArrayList<>();
        if (single.node().isTextual()) {
            for (String word : single.asString().trim().split("\\s+")) {
                pieces.add(piece(single, word, specials, known));
            }
        } else {
            for (JsonValue element : single.elements()) {
                pieces.add(element.node().isTextual() ? piece(element, element.asString(), specials, known)
                        : piece(element, specials, known));
            }
        }
        return new SpecialTokenTemplate(pieces);
    }

    /** {@code {"Sequence": {"id": "A", …}}} or {@code {"SpecialToken": {"id": "<s>", …}}}. */
    private static TemplatePiece piece(JsonValue element, Map<String, JsonValue> specials, IntPredicate known) {
        if (element.has("Sequence")) {
            return new SequencePiece(element.get("Sequence").string("id"));
        }
        if (element.has("SpecialToken")) {
            JsonValue id = element.get("SpecialToken").required("id");
            return special(id, id.asString(), specials, known);
        }
        throw element.error("unsupported template piece (expected Sequence or SpecialToken, found "
                + element.node() + ")");
    }

    /** The string form: {@code $A}, {@code $B:1}, {@code [CLS]}, {@code [SEP]:1}. */
    private static TemplatePiece piece(JsonValue at, String word, Map<String, JsonValue> specials, IntPredicate known) {
        String name = word.contains(":") ? word.substring(0, word.lastIndexOf(':')) : word;
        if (name.startsWith("$")) {
            String id = name.substring(1);
            return new SequencePiece(id.isEmpty() || id.equals("0") ? "A" : id.equals("1") ? "B" : id);
        }
        return special(at, name, specials, known);
    }

    private static SpecialPiece special(JsonValue at, String name, Map<String, JsonValue> specials, IntPredicate known) {
        JsonValue special = specials.get(name);
        if (special == null) {
            throw at.error("template uses special token '" + name + "', which is not in special_tokens");
        }
        int[] ids = special.required("ids").elements().stream().mapToInt(id -> knownId(id, known)).toArray();
        List<String> tokens = special.required("tokens").elements().stream().map(JsonValue::asString).toList();
        if (ids.length != tokens.size()) {
            throw special.error("has " + ids.length + " ids but " + tokens.size() + " tokens");
        }
        return new SpecialPiece(ids, tokens);
    }
}

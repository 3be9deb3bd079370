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
            case "BertProcessing" -> SpecialTokenTemplate.bert(tokenAndId(json.required("cls"), known),
                    tokenAndId(json.required("sep"), known));
            case "RobertaProcessing" -> SpecialTokenTemplate.roberta(tokenAndId(json.required("cls"), known),
                    tokenAndId(json.required("sep"), known));
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
        List<TemplatePiece> single = pieces(json.required("single"), specials, known);
        // tokenizers' default pair template is "$A:0 $B:1"
        List<TemplatePiece> pair = json.has("pair") && !json.get("pair").isNull()
                ? pieces(json.get("pair"), specials, known)
                : List.of(new SequencePiece("A", 0), new SequencePiece("B", 1));
        return new SpecialTokenTemplate(single, pair, true);
    }

    private static List<TemplatePiece> pieces(JsonValue template, Map<String, JsonValue> specials, IntPredicate known) {
        List<TemplatePiece> pieces = new ArrayList<>();
        if (template.node().isTextual()) {
            for (String word : template.asString().trim().split("\\s+")) {
                pieces.add(piece(template, word, specials, known));
            }
        } else {
            for (JsonValue element : template.elements()) {
                pieces.add(element.node().isTextual() ? piece(element, element.asString(), specials, known)
                        : piece(element, specials, known));
            }
        }
        return pieces;
    }

    /** {@code {"Sequence": {"id": "A", …}}} or {@code {"SpecialToken": {"id": "<s>", …}}}. */
    private static TemplatePiece piece(JsonValue element, Map<String, JsonValue> specials, IntPredicate known) {
        if (element.has("Sequence")) {
            JsonValue sequence = element.get("Sequence");
            return new SequencePiece(sequence.string("id"), typeId(sequence));
        }
        if (element.has("SpecialToken")) {
            JsonValue token = element.get("SpecialToken");
            JsonValue id = token.required("id");
            return special(id, id.asString(), specials, known, typeId(token));
        }
        throw element.error("unsupported template piece (expected Sequence or SpecialToken, found "
                + element.node() + ")");
    }

    /** The string form: {@code $A}, {@code $B:1}, {@code [CLS]}, {@code [SEP]:1}. */
    private static TemplatePiece piece(JsonValue at, String word, Map<String, JsonValue> specials, IntPredicate known) {
        int colon = word.lastIndexOf(':');
        String name = colon > 0 ? word.substring(0, colon) : word;
        int typeId = 0;
        if (colon > 0) {
            try {
                typeId = Integer.parseInt(word.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw at.error("template piece '" + word + "' has a type id that is not a number");
            }
        }
        if (name.startsWith("$")) {
            String id = name.substring(1);
            return new SequencePiece(id.isEmpty() || id.equals("0") ? "A" : id.equals("1") ? "B" : id, typeId);
        }
        return special(at, name, specials, known, typeId);
    }

    private static int typeId(JsonValue piece) {
        return piece.has("type_id") ? piece.get("type_id").asId() : 0;
    }

    private static SpecialPiece special(JsonValue at, String name, Map<String, JsonValue> specials, IntPredicate known,
                                        int typeId) {
        JsonValue special = specials.get(name);
        if (special == null) {
            throw at.error("template uses special token '" + name + "', which is not in special_tokens");
        }
        int[] ids = special.required("ids").elements().stream().mapToInt(id -> knownId(id, known)).toArray();
        List<String> tokens = special.required("tokens").elements().stream().map(JsonValue::asString).toList();
        if (ids.length != tokens.size()) {
            throw special.error("has " + ids.length + " ids but " + tokens.size() + " tokens");
        }
        return new SpecialPiece(ids, tokens, typeId);
    }
}

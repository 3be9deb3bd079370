package io.tttv2.integration.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tttv2.integration.generation.InvalidSamplingParameterException;
import io.tttv2.integration.generation.SamplingParams;
import io.tttv2.integration.serving.ServedModel;
import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code POST /v1/completions} and {@code /v1/chat/completions} as OpenAI defines them.
 * Fields it does not know are ignored (as OpenAI does); a known field of the wrong type or out of range is a
 * 400 naming it. Nothing that fails here reaches the scheduler.
 */
final class RequestReader {

    /** OpenAI's legacy completions default. */
    static final int DEFAULT_COMPLETION_TOKENS = 16;
    /** Chat's default when {@code max_tokens} is absent: this many, within what the context leaves. */
    static final int DEFAULT_CHAT_TOKENS = 256;
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final ServedModel model;
    private final int context;
    private final Set<Integer> eos;

    RequestReader(ServedModel model, int context) {
        this.model = model;
        this.context = context;
        this.eos = model.stopTokenIds();
    }

    ParsedRequest completion(JsonNode body) {
        checkCommon(body);
        rejectUnless(body, "echo", n -> n.isBoolean() && !n.booleanValue(), "echo is not supported (expected false)");
        rejectUnless(body, "suffix", n -> false, "suffix is not supported");
        rejectUnless(body, "best_of", n -> n.isIntegralNumber() && n.asLong() == 1, "best_of: only 1 is supported");
        rejectUnless(body, "logprobs", n -> n.isIntegralNumber() && n.asLong() == 0, "logprobs are not supported");
        JsonNode prompt = body.get("prompt");
        int[] ids;
        if (prompt == null || prompt.isNull()) {
            throw ApiError.invalid("prompt", "prompt: required, expected a string");
        } else if (prompt.isTextual()) {
            ids = encodeText(prompt.textValue(), "prompt");
        } else if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            ids = encodeText(prompt.get(0).textValue(), "prompt");
        } else if (prompt.isArray() && !prompt.isEmpty() && allTokenIds(prompt)) {
            ids = new int[prompt.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = prompt.get(i).intValue();
            }
        } else if (prompt.isArray()) {
            throw ApiError.invalid("prompt", "prompt: expected a string, one string in a list, or a non-empty list of token ids below "
                    + model.runner().info().vocabSize() + " (batches of prompts are not supported)");
        } else {
            throw ApiError.invalid("prompt", "prompt: expected a string, found " + kind(prompt));
        }
        return finish(body, ids, DEFAULT_COMPLETION_TOKENS, "prompt");
    }

    ParsedRequest chat(JsonNode body) {
        checkCommon(body);
        rejectUnless(body, "logprobs", n -> n.isBoolean() && !n.booleanValue(), "logprobs are not supported (expected false)");
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw ApiError.invalid("messages", "messages: required, expected a list of {role, content}");
        }
        if (!messages.isArray()) {
            throw ApiError.invalid("messages", "messages: expected a list, found " + kind(messages));
        }
        if (messages.isEmpty()) {
            throw ApiError.invalid("messages", "messages: expected at least one message, found an empty list");
        }
        List<ChatMessage> conversation = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(message(messages.get(i), "messages[" + i + "]"));
        }
        if (model.chatTemplate() == null) {
            throw ApiError.invalid("messages", "model '" + model.id() + "' has no chat template (no chat_template.jinja or "
                    + "tokenizer_config.json#chat_template): use /v1/completions");
        }
        String rendered;
        try {
            rendered = model.chatTemplate().render(conversation, true, Map.of());
        } catch (TokenizerException e) {
            throw ApiError.invalid("messages", "messages: the chat template cannot render them: " + e.getMessage());
        }
        if (rendered.isEmpty()) {
            throw ApiError.invalid("messages", "messages: the chat template renders them to no text");
        }
        // the rendered text carries its own special tokens (as apply_chat_template's output)
        int[] ids = model.tokenizer().encode(rendered, false).ids();
        return finish(body, ids, DEFAULT_CHAT_TOKENS, "messages");
    }

    private ChatMessage message(JsonNode m, String path) {
        if (!m.isObject()) {
            throw ApiError.invalid(path, path + ": expected an object {role, content}, found " + kind(m));
        }
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.textValue())) {
            throw ApiError.invalid(path + ".role", path + ".role: expected one of " + String.join(", ", new java.util.TreeSet<>(ROLES))
                    + ", found " + (role == null ? "nothing" : role.toString()));
        }
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            throw ApiError.invalid(path + ".content", path + ".content: required, expected a string");
        }
        if (content.isTextual()) {
            return new ChatMessage(role.textValue(), content.textValue());
        }
        if (content.isArray()) {     // content parts: only text ones
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.invalid(path + ".content[" + i + "]", path + ".content[" + i
                            + "]: expected {\"type\": \"text\", \"text\": string} (only text parts are supported)");
                }
                text.append(part.get("text").textValue());
            }
            return new ChatMessage(role.textValue(), text.toString());
        }
        throw ApiError.invalid(path + ".content", path + ".content: expected a string, found " + kind(content));
    }

    private void checkCommon(JsonNode body) {
        JsonNode name = body.get("model");
        if (name == null || name.isNull()) {
            throw ApiError.invalid("model", "model: required, expected '" + model.id() + "'");
        }
        if (!name.isTextual()) {
            throw ApiError.invalid("model", "model: expected a string, found " + kind(name));
        }
        if (!name.textValue().equals(model.id())) {
            throw new ApiError(400, "invalid_request_error", "model", "model_not_found",
                    "model: '" + name.textValue() + "' is not served here; expected '" + model.id() + "'");
        }
        rejectUnless(body, "n", n -> n.isIntegralNumber() && n.asLong() == 1, "n: expected 1 (one choice per request is supported)");
    }

    private ParsedRequest finish(JsonNode body, int[] ids, int defaultMaxTokens, String promptField) {
        if (ids.length == 0) {
            throw ApiError.invalid(promptField, promptField + ": encodes to no tokens; expected at least one");
        }
        int vocab = model.runner().info().vocabSize();
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw ApiError.invalid(promptField, promptField + ": encodes to token id " + id + ", outside the model's vocabulary of "
                        + vocab + " (the tokenizer has more tokens than the model)");
            }
        }
        if (ids.length >= context) {
            throw ApiError.invalid(promptField, promptField + ": " + ids.length + " tokens, the context holds " + context
                    + " (prompt and output together)");
        }
        SamplingParams.Builder b = SamplingParams.builder().topK(0).stopTokenIds(eos);
        double temperature = number(body, "temperature", 1.0, 0, 2);
        b.temperature(temperature).doSample(temperature > 0);
        b.topP(number(body, "top_p", 1.0, Double.MIN_VALUE, 1));
        b.presencePenalty(number(body, "presence_penalty", 0, -2, 2));
        b.frequencyPenalty(number(body, "frequency_penalty", 0, -2, 2));
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw ApiError.invalid("seed", "seed: expected an integer, found " + kind(seed));
            }
            b.seed(seed.longValue());
        }
        b.stopStrings(stops(body.get("stop")));
        String maxField = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        JsonNode max = body.get(maxField);
        int maxTokens;
        if (max == null || max.isNull()) {
            maxTokens = Math.min(defaultMaxTokens, context - ids.length);
        } else {
            if (!max.isIntegralNumber()) {
                throw ApiError.invalid(maxField, maxField + ": expected an integer, found " + kind(max));
            }
            if (!max.canConvertToInt() || max.intValue() < 1) {
                throw ApiError.invalid(maxField, maxField + ": expected an integer >= 1, found " + max);
            }
            maxTokens = max.intValue();
            if ((long) ids.length + maxTokens > context) {
                throw ApiError.invalid(maxField, maxField + ": the prompt's " + ids.length + " tokens + " + maxTokens
                        + " exceed the context of " + context + " tokens; expected at most " + (context - ids.length));
            }
        }
        b.maxNewTokens(maxTokens);
        boolean stream = bool(body, "stream");
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiError.invalid("stream_options", "stream_options: expected an object, found " + kind(options));
            }
            includeUsage = bool(options, "include_usage");
        }
        try {
            return new ParsedRequest(ids, b.build(), stream, includeUsage);
        } catch (InvalidSamplingParameterException e) {
            throw ApiError.invalid(e.parameter(), e.parameter() + ": expected " + e.expected() + ", found " + e.found());
        }
    }

    private List<String> stops(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            if (stop.textValue().isEmpty()) {
                throw ApiError.invalid("stop", "stop: expected a non-empty string");
            }
            return List.of(stop.textValue());
        }
        if (stop.isArray() && stop.size() <= 4) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : stop) {
                if (!s.isTextual() || s.textValue().isEmpty()) {
                    throw ApiError.invalid("stop", "stop: expected non-empty strings, found " + s);
                }
                out.add(s.textValue());
            }
            return out;
        }
        throw ApiError.invalid("stop", "stop: expected a string or a list of up to 4 strings, found "
                + (stop.isArray() ? "a list of " + stop.size() : kind(stop)));
    }

    private static double number(JsonNode body, String field, double absent, double min, double max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isNumber()) {
            throw ApiError.invalid(field, field + ": expected a number, found " + kind(n));
        }
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) {
            String range = min == Double.MIN_VALUE ? "(0, " + fmt(max) + "]" : "[" + fmt(min) + ", " + fmt(max) + "]";
            throw ApiError.invalid(field, field + ": expected a number in " + range + ", found " + n);
        }
        return v;
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiError.invalid(field, field + ": expected true or false, found " + kind(n));
        }
        return n.booleanValue();
    }

    /** A field that, when present and not null, must pass {@code ok}. */
    private static void rejectUnless(JsonNode body, String field, java.util.function.Predicate<JsonNode> ok, String message) {
        JsonNode n = body.get(field);
        if (n != null && !n.isNull() && !ok.test(n)) {
            throw ApiError.invalid(field, message + ", found " + n);
        }
    }

    private boolean allTokenIds(JsonNode array) {
        int vocab = model.runner().info().vocabSize();
        for (JsonNode n : array) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() >= vocab) {
                return false;
            }
        }
        return true;
    }

    private int[] encodeText(String text, String field) {
        if (text.isEmpty()) {
            throw ApiError.invalid(field, field + ": expected non-empty text");
        }
        return model.tokenizer().encode(text, true).ids();
    }

    /** A JSON value's kind, for messages: {@code a string "x"}, {@code a number 3}, … */
    static String kind(JsonNode n) {
        String shown = n.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 37) + "...";
        }
        return switch (n.getNodeType()) {
            case STRING -> "a string " + shown;
            case NUMBER -> "a number " + shown;
            case BOOLEAN -> "a boolean " + shown;
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> shown;
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

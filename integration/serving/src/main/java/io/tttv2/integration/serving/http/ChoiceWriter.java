package io.tttv2.integration.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.serving.scheduler.Completion;

/** The JSON of one request's answer, whole or as stream chunks, in OpenAI's completions or chat shape. */
final class ChoiceWriter {

    private final ObjectMapper json;
    private final String id;
    private final String object;      // text_completion | chat.completion
    private final long created;
    private final String model;
    private final boolean chat;

    ChoiceWriter(ObjectMapper json, String id, String object, long created, String model, boolean chat) {
        this.json = json;
        this.id = id;
        this.object = object;
        this.created = created;
        this.model = model;
        this.chat = chat;
    }

    ObjectNode whole(Completion c) {
        ObjectNode body = head(object);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", c.text());
        } else {
            choice.put("text", c.text());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", c.reason().openAiName());
        usage(body, c);
        return body;
    }

    /** The first chunk of a chat stream (the assistant's role); null for completions. */
    ObjectNode opening() {
        if (!chat) {
            return null;
        }
        ObjectNode body = head("chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return body;
    }

    ObjectNode piece(String text) {
        ObjectNode body = head(chat ? "chat.completion.chunk" : object);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("delta").put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return body;
    }

    ObjectNode closing(Completion c) {
        ObjectNode body = head(chat ? "chat.completion.chunk" : object);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("delta");
        } else {
            choice.put("text", "");
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", c.reason().openAiName());
        return body;
    }

    /** The last chunk when {@code stream_options.include_usage}: no choices, the usage. */
    ObjectNode usageChunk(Completion c) {
        ObjectNode body = head(chat ? "chat.completion.chunk" : object);
        body.putArray("choices");
        usage(body, c);
        return body;
    }

    private ObjectNode head(String type) {
        return json.createObjectNode().put("id", id).put("object", type).put("created", created).put("model", model);
    }

    private static void usage(ObjectNode body, Completion c) {
        body.putObject("usage").put("prompt_tokens", c.promptTokens()).put("completion_tokens", c.completionTokens())
                .put("total_tokens", c.promptTokens() + c.completionTokens());
    }
}

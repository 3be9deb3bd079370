package io.tttv2.integration.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.serving.ServedModel;
import io.tttv2.integration.serving.metrics.ServingMetrics;
import io.tttv2.integration.serving.scheduler.QueueFullException;
import io.tttv2.integration.serving.scheduler.Scheduler;
import io.tttv2.integration.serving.scheduler.SequenceListener;
import io.tttv2.integration.serving.scheduler.SequenceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The OpenAI-compatible endpoints on Jetty's core handler API. A generation request is checked here on Jetty's
 * thread and handed to the scheduler; its answer ({@link StreamAnswer}, {@link WholeAnswer}) is written with
 * non-blocking writes from the scheduler's delivery thread as the events come, so no thread waits per request
 * and the step thread never does. Every error has OpenAI's shape.
 */
public final class ApiHandler extends Handler.Abstract {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_TYPE = "application/json";
    /** What {@link #route} returns for an answer whose status is known and counted only when it is written. */
    private static final int ANSWERED_LATER = -1;

    private final ServedModel model;
    private final Scheduler scheduler;
    private final ServingMetrics metrics;
    private final RequestReader reader;
    private final int maxBodyBytes;
    private final byte[] apiKey;            // UTF-8 of "Bearer KEY", or null
    private final long created = System.currentTimeMillis() / 1000;
    private final AtomicLong ids = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

    public ApiHandler(ServedModel model, Scheduler scheduler, ServingMetrics metrics, int maxBodyBytes, String apiKey) {
        this.model = model;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.reader = new RequestReader(model, scheduler.context());
        this.maxBodyBytes = maxBodyBytes;
        this.apiKey = apiKey == null ? null : ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        int status;
        try {
            status = route(path, method, request, response, callback);
        } catch (ApiError e) {
            status = error(response, callback, e);
        } catch (RuntimeException e) {
            status = error(response, callback, new ApiError(500, "server_error", null, null,
                    "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
        if (status != ANSWERED_LATER) {
            metrics.answered(status);
        }
        return true;
    }

    private int route(String path, String method, Request request, Response response, Callback callback) {
        if (path.startsWith("/v1/") && apiKey != null) {
            String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (given == null || !MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8))) {
                throw new ApiError(401, "invalid_request_error", null, "invalid_api_key",
                        "missing or incorrect API key: send it as 'Authorization: Bearer KEY'");
            }
        }
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET");
                return write(response, callback, 200, JSON_TYPE, "{\"status\":\"ok\"}");
            }
            case "/metrics" -> {
                requireMethod(method, "GET");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    metrics.write(out);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return write(response, callback, 200, metrics.contentType(), out.toString(StandardCharsets.UTF_8));
            }
            case "/v1/models" -> {
                requireMethod(method, "GET");
                ObjectNode body = JSON.createObjectNode().put("object", "list");
                body.putArray("data").addObject().put("id", model.id()).put("object", "model")
                        .put("created", created).put("owned_by", "tttv2");
                return write(response, callback, 200, JSON_TYPE, body.toString());
            }
            case "/v1/config" -> {
                requireMethod(method, "GET");
                if (model.configuration() == null) {
                    throw new ApiError(404, "invalid_request_error", null, "unknown_url", "this server publishes no configuration");
                }
                return write(response, callback, 200, JSON_TYPE, model.configuration().get());
            }
            case "/v1/completions" -> {
                requireMethod(method, "POST");
                return generate(request, response, callback, false);
            }
            case "/v1/chat/completions" -> {
                requireMethod(method, "POST");
                return generate(request, response, callback, true);
            }
            default -> throw new ApiError(404, "invalid_request_error", null, "unknown_url", "unknown URL: " + method + " " + path);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new ApiError(405, "invalid_request_error", null, "method_not_allowed", "method " + method + " not allowed here; expected " + expected);
        }
    }

    /** Submits a generation request; its answer is written when the scheduler's events come (see the answers). */
    private int generate(Request request, Response response, Callback callback, boolean chat) {
        JsonNode body = readBody(request);
        ParsedRequest parsed = chat ? reader.chat(body) : reader.completion(body);
        String id = (chat ? "chatcmpl-" : "cmpl-") + Long.toHexString(created) + "-" + ids.incrementAndGet();
        ChoiceWriter choices = new ChoiceWriter(JSON, id, chat ? "chat.completion" : "text_completion", created, model.id(), chat);
        // the request counts as active from its submission until its answer is written or has failed
        StreamAnswer stream = parsed.stream()
                ? new StreamAnswer(response, callback, choices, parsed.includeUsage(), active::decrementAndGet) : null;
        SequenceListener listener = stream != null ? stream : new WholeAnswer(response, callback, choices, status -> {
            metrics.answered(status);
            active.decrementAndGet();
        });
        Scheduler.Submission submission;
        active.incrementAndGet();
        try {
            submission = scheduler.submit(new SequenceRequest(parsed.promptIds(), parsed.params(), listener));
        } catch (QueueFullException e) {
            active.decrementAndGet();
            if (e.stopping()) {
                throw new ApiError(503, "server_error", null, null, e.getMessage());
            }
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            throw new ApiError(429, "rate_limit_error", null, "rate_limit_exceeded", e.getMessage() + "; retry later");
        } catch (IllegalArgumentException e) {
            active.decrementAndGet();
            throw ApiError.invalid("max_tokens", e.getMessage());
        }
        request.addFailureListener(failure -> submission.cancel());     // the client went away
        if (stream != null) {
            stream.attach(submission::cancel);
            return 200;                  // the status line is 200 whatever follows: errors come as events
        }
        return ANSWERED_LATER;
    }

    /** Generation requests submitted and not yet answered (any thread). */
    public int active() {
        return active.get();
    }

    /**
     * Bytes of an oversized body read and thrown away before the 413 goes out: a client still sending when the
     * server answers and closes sees a reset instead of the answer. Beyond this the connection is cut.
     */
    private static final long DRAIN_LIMIT = 16L << 20;

    private JsonNode readBody(Request request) {
        long declared = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > maxBodyBytes) {
                drain(in, declared);
                throw tooLarge();
            }
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                drain(in, DRAIN_LIMIT);
                throw tooLarge();
            }
            return parse(bytes);
        } catch (IOException e) {
            throw ApiError.invalid(null, "the request body could not be read: " + e.getMessage());
        }
    }

    private static void drain(InputStream in, long bytes) throws IOException {
        long left = Math.min(bytes, DRAIN_LIMIT);
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private JsonNode parse(byte[] bytes) {
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid(null, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.invalid(null, "the body could not be read as JSON: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiError.invalid(null, "the body must be a JSON object, found " + (body == null ? "nothing" : RequestReader.kind(body)));
        }
        return body;
    }

    private ApiError tooLarge() {
        return new ApiError(413, "invalid_request_error", null, "request_too_large",
                "the request body exceeds the limit of " + maxBodyBytes + " bytes");
    }

    private static int error(Response response, Callback callback, ApiError e) {
        return write(response, callback, e.status, JSON_TYPE, errorBody(e));
    }

    static String errorBody(ApiError e) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", e.getMessage()).put("type", e.type).put("param", e.param).put("code", e.code);
        return body.toString();
    }

    static int write(Response response, Callback callback, int status, String contentType, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType.contains("charset") ? contentType : contentType + "; charset=utf-8");
        Content.Sink.write(response, true, text, callback);
        return status;
    }
}

package io.tttv2.integration.tokenizers.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.integration.tokenizers.pipeline.TokenizerLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A chat template rendered with Jinjava. The template text is parsed once at load (a syntax error fails the
 * load); each rendering runs on its own daemon thread and is stopped after {@link #RENDER_TIMEOUT}.
 */
public final class JinjaChatTemplate implements ChatTemplate {
    static final Duration RENDER_TIMEOUT = Duration.ofSeconds(5);
    /** How long a timed-out rendering gets to notice it was stopped (RenderGuard checks at every node). */
    static final Duration STOP_WAIT = Duration.ofSeconds(1);
    static final String TEMPLATE_FILE = "chat_template.jinja";
    static final String CONFIG_FILE = "tokenizer_config.json";
    /** The largest template file read (README, "Limits"): real ones are a few kilobytes. */
    static final int MAX_TEMPLATE_BYTES = 1 << 20;

    private final String source;
    private final String template;
    /** tokenizer_config.json values: special tokens as their strings, other scalars as they are. */
    private final Map<String, Object> configVariables;
    private final Jinjava jinjava = SandboxedJinja.create();
    private final Duration renderTimeout;

    public JinjaChatTemplate(String source, String template, Map<String, Object> configVariables) {
        this(source, template, configVariables, RENDER_TIMEOUT);
    }

    JinjaChatTemplate(String source, String template, Map<String, Object> configVariables, Duration renderTimeout) {
        this.renderTimeout = renderTimeout;
        this.source = source;
        this.template = LstripBlocks.apply(template);
        this.configVariables = Map.copyOf(configVariables);
        checkSyntax();
    }

    /** See {@link ChatTemplate#load(Path)}. */
    public static JinjaChatTemplate load(Path modelDirectory) {
        Path configFile = modelDirectory.resolve(CONFIG_FILE);
        JsonNode config = Files.exists(configFile) ? TokenizerLoader.readJson(configFile) : null;
        Map<String, Object> variables = config == null ? Map.of() : variables(config);
        Path templateFile = modelDirectory.resolve(TEMPLATE_FILE);
        if (Files.exists(templateFile)) {
            try (InputStream in = Files.newInputStream(templateFile)) {
                byte[] bytes = in.readNBytes(MAX_TEMPLATE_BYTES + 1);
                if (bytes.length > MAX_TEMPLATE_BYTES) {
                    throw new TokenizerException(templateFile + ": expected a template of at most "
                            + (MAX_TEMPLATE_BYTES >> 20) + " MiB, found a larger file");
                }
                return new JinjaChatTemplate(templateFile.toString(), new String(bytes, StandardCharsets.UTF_8), variables);
            } catch (IOException e) {
                throw new TokenizerException(templateFile + ": cannot be read (" + e + ")");
            }
        }
        if (config != null && config.hasNonNull("chat_template")) {
            JsonNode chatTemplate = config.get("chat_template");
            if (!chatTemplate.isTextual()) {
                throw new TokenizerException(configFile + ": chat_template: has the wrong type (expected a string,"
                        + " found " + chatTemplate.getNodeType().name().toLowerCase() + "; named templates are not supported)");
            }
            return new JinjaChatTemplate(configFile + "#chat_template", chatTemplate.asText(), variables);
        }
        throw new TokenizerException(modelDirectory + ": no chat template (expected " + TEMPLATE_FILE + " or "
                + "chat_template in " + CONFIG_FILE + ")");
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables) {
        Map<String, Object> context = new HashMap<>(configVariables);
        context.putAll(variables);
        List<Map<String, Object>> messageMaps = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", message.role());
            m.put("content", message.content());
            messageMaps.add(m);
        }
        context.put("messages", messageMaps);
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = renderWithTimeout(context);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TokenizerException(source + ": " + describe(error));
            }
        }
        return result.getOutput();
    }

    @Override
    public String source() {
        return source;
    }

    private RenderResult renderWithTimeout(Map<String, Object> context) {
        CompletableFuture<RenderResult> rendering = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().daemon().name("chat-template").unstarted(() -> {
            try {
                RenderResult result = jinjava.renderForResult(template, context);
                if (RenderGuard.reason() != null) {     // a limit reached in the last node: nothing left to stop
                    throw new RenderGuard.Stopped(RenderGuard.reason());
                }
                rendering.complete(result);
            } catch (Throwable t) {
                rendering.completeExceptionally(t);
            }
        });
        worker.setContextClassLoader(JinjaChatTemplate.class.getClassLoader()); // see SandboxedJinja.withOwnClassLoader
        worker.start();
        try {
            return rendering.get(renderTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // RenderGuard ends the rendering at its next node or variable read; waiting for that frees its memory
            // before the caller goes on (and keeps two renderings from holding memory at once)
            worker.interrupt();
            try {
                worker.join(STOP_WAIT.toMillis());
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
            throw new TokenizerException(source + ": rendering took longer than " + renderTimeout.toMillis()
                    + " ms and was stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenizerException(source + ": rendering was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RenderGuard.Stopped stopped) {
                throw new TokenizerException(source + ": rendering stopped: " + stopped.getMessage());
            }
            throw new TokenizerException(source + ": rendering failed (" + oneLine(String.valueOf(e.getCause())) + ")",
                    e.getCause());
        }
    }

    /** Parses the template (without rendering it), so that a broken template fails when it is loaded. */
    private void checkSyntax() {
        JinjavaInterpreter interpreter;
        try {
            interpreter = SandboxedJinja.withOwnClassLoader(() -> {
                JinjavaInterpreter parser = jinjava.newInterpreter();
                parser.parse(template);
                return parser;
            });
        } catch (RuntimeException e) {
            // most syntax errors are collected, some are thrown ("{%}", found by ChatTemplateFuzzTest)
            throw new TokenizerException(source + ": " + oneLine(e.getMessage()), e);
        }
        for (TemplateError error : interpreter.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TokenizerException(source + ": " + describe(error));
            }
        }
    }

    private static String describe(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateFunctions.TemplateRaisedException raised) {
                return "the template raised an exception: " + oneLine(raised.getMessage());
            }
        }
        String where = error.getLineno() > 0 ? "line " + error.getLineno() + ": " : "";
        return where + oneLine(error.getReason() + ": " + error.getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** tokenizer_config.json's values as template variables; {@code {"content": …}} tokens become strings. */
    private static Map<String, Object> variables(JsonNode config) {
        Map<String, Object> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().equals("chat_template")) {
                continue;
            }
            if (v.isTextual()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isObject() && v.has("content") && v.get("content").isTextual()) {
                out.put(e.getKey(), v.get("content").asText());
            } else if (v.isBoolean()) {
                out.put(e.getKey(), v.booleanValue());
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                out.put(e.getKey(), v.longValue());
            }
        }
        return out;
    }
}

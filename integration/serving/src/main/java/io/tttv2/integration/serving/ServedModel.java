package io.tttv2.integration.serving;

import io.tttv2.api.runner.ModelRunner;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.Set;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The model a server serves.
 *
 * @param id           the name clients give as {@code model} (and {@code GET /v1/models} lists)
 * @param runner       the loaded model; the server's step thread owns it from start to stop
 * @param tokenizer    its tokenizer
 * @param chatTemplate its chat template, or null: {@code /v1/chat/completions} then answers 400
 * @param stopTokenIds tokens that end generation besides the model's EOS ids (from generation_config.json)
 * @param configuration the model's effective configuration as a JSON document ({@code GET /v1/config}), computed
 *                      on each request (modules rebound by a hot swap show); null: that route answers 404
 */
@ProviderType
public record ServedModel(String id, ModelRunner runner, Tokenizer tokenizer, ChatTemplate chatTemplate,
                          Set<Integer> stopTokenIds, Supplier<String> configuration) {

    public ServedModel {
        stopTokenIds = Set.copyOf(stopTokenIds);
    }

    /** A served model without a configuration document. */
    public ServedModel(String id, ModelRunner runner, Tokenizer tokenizer, ChatTemplate chatTemplate,
                       Set<Integer> stopTokenIds) {
        this(id, runner, tokenizer, chatTemplate, stopTokenIds, null);
    }
}

package io.tttv2.integration.tokenizers;

import io.tttv2.integration.hf.gguf.GgufFile;
import io.tttv2.integration.tokenizers.chat.JinjaChatTemplate;
import io.tttv2.integration.tokenizers.gguf.GgufTokenizers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A model's Jinja chat template, rendered as {@code transformers}' {@code apply_chat_template} does: with
 * {@code messages}, {@code add_generation_prompt}, and every string value of {@code tokenizer_config.json}
 * ({@code bos_token}, {@code eos_token}, …). Rendering is sandboxed: no file or network access, bounded
 * output size and time.
 */
@ProviderType
public interface ChatTemplate {

    /**
     * Loads the template of the model whose files are in {@code modelDirectory}: {@code chat_template.jinja}
     * if present, else the {@code chat_template} entry of {@code tokenizer_config.json}; the other values of
     * {@code tokenizer_config.json} become template variables. For a GGUF model file: its
     * {@code tokenizer.chat_template}, with {@code bos_token} and {@code eos_token} from its tokenizer.
     *
     * @throws TokenizerException (one line naming the file) if there is no template or it does not parse
     */
    static ChatTemplate load(Path modelDirectory) {
        return GgufFile.isGguf(modelDirectory) ? GgufTokenizers.chatTemplate(modelDirectory)
                : JinjaChatTemplate.load(modelDirectory);
    }

    /** Renders {@code messages}; {@code addGenerationPrompt} opens the assistant's turn. */
    default String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders {@code messages} with extra template variables (they override those of
     * {@code tokenizer_config.json}; e.g. {@code tools}, {@code date_string}).
     *
     * @throws TokenizerException (one line naming the template) if rendering fails or the template raises
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables);

    /** Where the template came from (a file, or {@code tokenizer_config.json#chat_template}). */
    String source();
}

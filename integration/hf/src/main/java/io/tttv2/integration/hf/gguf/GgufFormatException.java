package io.tttv2.integration.hf.gguf;

import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import java.io.Serial;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A GGUF file that cannot be used as it is. The message is one line starting with the file, naming the part
 * of the file (header, key, tensor) and what was expected and found:
 * {@code model.gguf: tensor 'blk.0.attn_q.weight' data [4096, 8192) expected within the 6000 data bytes}.
 */
@ProviderType
public class GgufFormatException extends CheckpointFormatException {
    @Serial
    private static final long serialVersionUID = 1L;

    public GgufFormatException(String message) {
        super(message);
    }

    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

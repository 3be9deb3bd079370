package io.tttv2.integration.hf.safetensors;

import java.io.Serial;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A checkpoint that cannot be used as it is: a corrupt or truncated safetensors file, an inconsistent shard
 * index, a missing tensor, an unreadable file. The message is always one line, starting with the file (or
 * directory) it is about — {@code model.safetensors: tensor 'lm_head.weight' expected 131072 bytes for shape
 * [256, 128] of F32, found 65536 (data_offsets [0, 65536])} — and is meant to be shown to the user as it is.
 */
@ProviderType
public class CheckpointFormatException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(OneLine.of(message));
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(OneLine.of(message), cause);
    }
}

package io.tttv2.integration.hf.config;

import java.io.Serial;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A configuration file that cannot be used: unreadable, not JSON, a required key missing or a value of the
 * wrong type. The message is one line meant for the user as it is:
 * {@code config.json: key 'num_hidden_layers' expected an integer, found "two"}.
 */
@ProviderType
public class ConfigFormatException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ConfigFormatException(String message) {
        super(message.replaceAll("[\\r\\n\\t]+", " "));
    }

    public ConfigFormatException(String message, Throwable cause) {
        super(message.replaceAll("[\\r\\n\\t]+", " "), cause);
    }
}

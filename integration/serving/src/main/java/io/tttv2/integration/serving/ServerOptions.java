package io.tttv2.integration.serving;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How a server listens and shares its model.
 *
 * @param host          address to bind (e.g. 127.0.0.1)
 * @param port          port to bind; 0 for any free one ({@link OpenAiServer#port()} tells which)
 * @param maxBatch      sequences running at once
 * @param maxQueue      requests waiting beyond the running ones; more are refused with 429
 * @param kvBlocks      blocks of the shared KV cache
 * @param blockSize     tokens per block
 * @param stepTokens    tokens one step feeds (decodes plus prompt chunks)
 * @param maxBodyBytes  largest request body; larger ones are refused with 413
 * @param apiKey        the key clients must send as {@code Authorization: Bearer KEY}; null for none
 * @param shutdownGrace how long running requests may take to finish when the server stops
 */
@ProviderType
public record ServerOptions(String host, int port, int maxBatch, int maxQueue, int kvBlocks, int blockSize,
                            int stepTokens, int maxBodyBytes, String apiKey, Duration shutdownGrace) {
}

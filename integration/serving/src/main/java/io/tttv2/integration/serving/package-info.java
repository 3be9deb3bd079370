/**
 * An OpenAI-compatible HTTP server over one loaded model: {@link io.tttv2.integration.serving.OpenAiServer}
 * starts it with a {@link io.tttv2.integration.serving.ServedModel} and
 * {@link io.tttv2.integration.serving.ServerOptions}. Requests share the model through a continuous-batching
 * scheduler; {@code /metrics} exposes its state in Prometheus' text format.
 */
@Export
@Version("1.0.0")
package io.tttv2.integration.serving;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

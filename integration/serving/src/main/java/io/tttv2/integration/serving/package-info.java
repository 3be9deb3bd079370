/**
 * An OpenAI-compatible HTTP server over one loaded model: {@link io.tttv2.integration.serving.OpenAiServer}
 * starts it with a {@link io.tttv2.integration.serving.ServedModel} and
 * {@link io.tttv2.integration.serving.ServerOptions}. Requests share the model through a continuous-batching
 * scheduler; {@code /metrics} exposes its state in Prometheus' text format. 1.1: {@code GET /v1/config}, the model's
 * effective configuration.
 */
@Export
@Version("1.1.0")
package io.tttv2.integration.serving;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

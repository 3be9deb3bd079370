/**
 * The model runners: for a decoder-only LM the four operations a serving engine needs (as the seed's vLLM
 * integration names them): initialise a model, allocate its KV cache, prefill a batch of prompts, decode one
 * token per sequence; for an encoder, encode a padded batch; for an encoder–decoder, encode once, then
 * prefill and decode the decoder. A factory returns a {@link io.tttv2.api.runner.Runner}; callers switch on
 * its type. 2.0.0: the factory returns {@code Runner}, the base of the three. 2.1.0: {@code ModelRunner.step}
 * advances a mixed batch of prompt chunks and decode tokens ({@link io.tttv2.api.runner.StepRequest}) in one pass.
 * Also 2.1.0: {@code RunnerOptions.quantize} (weights quantised at load).
 * Also 2.1.0: dry runs, and the specializations a runner's modules were built with.
 * Also 2.1.0: {@code RunnerOptions.weightCache} (converted weights cached on disk).
 */
@Export
@Version("2.1.0")
package io.tttv2.api.runner;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

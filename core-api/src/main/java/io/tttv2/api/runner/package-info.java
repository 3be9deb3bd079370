/**
 * The model runners: for a decoder-only LM the four operations a serving engine needs (as the seed's vLLM
 * integration names them): initialise a model, allocate its KV cache, prefill a batch of prompts, decode one
 * token per sequence; for an encoder, encode a padded batch; for an encoder–decoder, encode once, then
 * prefill and decode the decoder. A factory returns a {@link io.tttv2.api.runner.Runner}; callers switch on
 * its type. 2.0.0: the factory returns {@code Runner}, the base of the three. 2.1.0: {@code ModelRunner.step}
 * advances a mixed batch of prompt chunks and decode tokens ({@link io.tttv2.api.runner.StepRequest}) in one pass.
 */
@Export
@Version("2.1.0")
package io.tttv2.api.runner;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Sampling and generation: turning a model runner's logits into text.
 *
 * <p>{@link io.tttv2.integration.generation.SamplingParams} holds HuggingFace's and OpenAI's decoding
 * controls (defaults from a checkpoint's {@code generation_config.json} through
 * {@link io.tttv2.integration.generation.SamplingDefaults}); a
 * {@link io.tttv2.integration.generation.Sampler} applies them to one sequence's logits in HuggingFace's order.
 * {@link io.tttv2.integration.generation.Generator} continues a prompt and
 * {@link io.tttv2.integration.generation.ChatSession} holds a conversation whose KV cache survives from turn
 * to turn; both stream text as it becomes final and stop on an EOS token, a stop string or a limit.
 */
@Export
@Version("1.1.0")
package io.tttv2.integration.generation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

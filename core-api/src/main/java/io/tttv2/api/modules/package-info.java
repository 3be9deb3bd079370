/**
 * Module interfaces (norm, rotary, attention, MLP, router, mixture of experts, embedding, LM head, decoder layer), each with an
 * immutable spec (what: dimensions, variant), an immutable config (how: device knobs, defaults computed
 * from spec and device, every field overridable) and separate prefill / decode entry points. Factories
 * are OSGi services; models obtain modules through them, never by constructing implementations. 2.1: latent
 * attention (LatentAttentionSpec, LatentAttentionFactory); attention backends with a value width of their own. 2.2: a
 * mixed step (MixedStep; {@code step} on Attention, DecoderLayer and AttentionBackend) advances prompt chunks and
 * decode tokens of many sequences in one pass.
 * Also 2.2: ModuleConfig knobs (matmulSplit), overridable by name; ConfigFingerprint. 2.3: ModuleConfig.kvTile
 * (attention tiles), kvDtype (the KV cache's element type) and fusedProjections (q/k/v, gate/up as one matmul op),
 * spelled in JSON by ModuleConfig.parse/spell.
 */
@Export
@Version("2.3.0")
package io.tttv2.api.modules;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

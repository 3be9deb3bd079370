/**
 * Module interfaces (norm, rotary, attention, MLP, embedding, LM head, decoder layer), each with an
 * immutable spec (what: dimensions, variant), an immutable config (how: device knobs, defaults computed
 * from spec and device, every field overridable) and separate prefill / decode entry points. Factories
 * are OSGi services; models obtain modules through them, never by constructing implementations.
 */
@Export
@Version("2.1.0")
package io.tttv2.api.modules;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The model runner: the four operations a serving engine needs (as the seed's vLLM integration names
 * them): initialise a model, allocate its KV cache, prefill a batch of prompts, decode one token per
 * sequence.
 */
@Export
@Version("1.1.0")
package io.tttv2.api.runner;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * A HuggingFace checkpoint seen as module weights ({@code io.tttv2.api.modules.Weights}): the adapter every
 * model bundle and test needs between safetensors entries and the library's tensors.
 */
@Export
@Version("1.0.0")
package io.tttv2.integration.hf.weights;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

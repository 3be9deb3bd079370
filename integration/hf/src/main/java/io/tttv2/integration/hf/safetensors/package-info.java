/**
 * The safetensors format: memory-mapped, validated reading ({@link io.tttv2.integration.hf.safetensors.SafetensorsFile}),
 * sharded checkpoints behind one name → tensor view ({@link io.tttv2.integration.hf.safetensors.Checkpoint}), and
 * writing ({@link io.tttv2.integration.hf.safetensors.SafetensorsWriter}) in the layout HuggingFace's own writer
 * produces. Every format error is one line naming the file, the tensor, the expected and the found value.
 */
@Export
@Version("1.1.0")
package io.tttv2.integration.hf.safetensors;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * GGUF files (llama.cpp's format, v2 and v3): a validating, memory-mapping reader ({@link
 * io.tttv2.integration.hf.gguf.GgufFile}), an atomic writer ({@link io.tttv2.integration.hf.gguf.GgufWriter}),
 * and the HuggingFace view of a GGUF model — its config.json, its tensors under HF names with the Q/K row
 * permutation of llama.cpp's converter undone ({@link io.tttv2.integration.hf.gguf.GgufModel}).
 */
@Export
@Version("1.0.0")
package io.tttv2.integration.hf.gguf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

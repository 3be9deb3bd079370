/**
 * Tensors over off-heap memory: shape, dtype and layout, views and slices without copies; block-quantised
 * weight types (GGUF's Q8_0, Q4_0, Q4_K, Q5_K, Q6_K) and their codecs. 2.0.0: DType gained the block types.
 */
@Export
@Version("2.0.0")
package io.tttv2.api.tensor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

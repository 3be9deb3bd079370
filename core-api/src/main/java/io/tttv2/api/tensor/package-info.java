/**
 * Tensors over off-heap memory: shape, dtype and layout, views and slices without copies.
 */
@Export
@Version("1.0.0")
package io.tttv2.api.tensor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

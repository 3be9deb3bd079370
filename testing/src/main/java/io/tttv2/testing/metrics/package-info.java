/**
 * Comparison metrics between a computed tensor and a reference, with the edge cases of the seed's
 * {@code comp_pcc} handled: NaN/Inf masking, all-NaN, all-zero and constant tensors.
 */
@Export
@Version("1.0.0")
package io.tttv2.testing.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The op library ("our TTNN"): the operations modules are built from, and the device that runs them.
 */
@Export
@Version("2.0.0")
package io.tttv2.api.ops;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

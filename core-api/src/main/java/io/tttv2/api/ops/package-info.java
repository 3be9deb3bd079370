/**
 * The op library ("our TTNN"): the operations modules are built from, and the device that runs them. 1.1:
 * attention over caches whose values are narrower than the keys or read from them.
 */
@Export
@Version("1.1.0")
package io.tttv2.api.ops;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

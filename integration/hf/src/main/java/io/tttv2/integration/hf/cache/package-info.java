/**
 * A cache of converted weights: tensors quantised or re-laid-out at load are written once to a file keyed by
 * (source identity, target layout, library version) and memory-mapped by later loads, which then do not read
 * the source tensors. A file from another layout, version or format, a torn or corrupt file, an unreadable
 * or unwritable folder: each is one notice and a fallback to converting in memory, never a wrong tensor.
 */
@Export
@Version("1.0.0")
package io.tttv2.integration.hf.cache;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

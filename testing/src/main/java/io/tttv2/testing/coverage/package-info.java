/**
 * Validation coverage: which configurations of each module kind were validated (by config fingerprint,
 * shape bucket and dtype), and which configurations the models built with validation on use but never
 * had a call validated.
 */
@Export
@Version("1.1.0")
package io.tttv2.testing.coverage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

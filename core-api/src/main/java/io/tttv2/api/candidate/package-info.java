/**
 * Candidate descriptors: what an implementation bundle offers, declared as metadata in its manifest
 * ({@code Provide-Capability: io.tttv2.candidate; ...}) so that the registry can list, filter and pin
 * implementations without loading a class of the bundle that offers them.
 */
@Export
@Version("2.1.0")
package io.tttv2.api.candidate;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

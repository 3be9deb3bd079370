/**
 * Assemblies: which implementation a model wants for each module kind (by name, version range and
 * minimum tier), their resolution against the installed candidates, and the decorators the host may wrap
 * every handed-out factory with (validation, tracing) without a model doing anything to opt in. 1.1: module
 * configuration overrides per kind ({@link io.tttv2.api.assembly.Requirement#config()}) and per module path
 * ({@link io.tttv2.api.assembly.Assembly#moduleConfig()}); the specialization table.
 */
@Export
@Version("1.1.0")
package io.tttv2.api.assembly;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

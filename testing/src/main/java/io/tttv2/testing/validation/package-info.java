/**
 * Run-time validation of modules against the plain references, without touching model code: with the
 * {@link io.tttv2.testing.validation.ValidationRegistry} enabled, the testing bundle's
 * {@link io.tttv2.api.assembly.FactoryDecorator} wraps every module the host hands out, so that each call
 * also runs the reference on the same inputs and records the comparison (metrics, tolerances, custom
 * metrics, timings, coverage). Disabled, the decorator hands out the factories unchanged.
 */
@Export
@Version("1.1.0")
package io.tttv2.testing.validation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Candidate against candidate: with the {@link io.tttv2.testing.against.AgainstRegistry} started for a module
 * kind and another candidate of it (or another device), the testing bundle's
 * {@link io.tttv2.testing.against.AgainstFactoryDecorator} builds beside every module of that kind a twin from
 * the other candidate, with the same spec, configuration and weights, runs the twin on the same inputs at each
 * call and compares the outputs with the same metrics as module validation (PCC, max abs error, per module
 * path). {@code validate --against KIND=CANDIDATE[@RANGE]} drives it.
 */
@Export
@Version("1.0.0")
package io.tttv2.testing.against;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

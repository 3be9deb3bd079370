/**
 * Profiling without a reference: with the {@link io.tttv2.testing.profile.ProfileRegistry} enabled, the
 * testing bundle's {@link io.tttv2.testing.profile.ProfilingFactoryDecorator} wraps every module the host
 * hands out so that each prefill and decode call is timed (its own time, without the time of the modules it
 * calls) and costed (FLOPs and bytes moved, from its shapes and dtypes). The figures per module kind, the
 * machine's measured peak ({@link io.tttv2.testing.profile.MachinePeak}) and the model time composed from
 * them ({@link io.tttv2.testing.profile.ComposedTime}) are what {@code bench --profile} prints and plots.
 * Disabled, the decorator hands out the factories unchanged.
 */
@Export
@Version("1.0.0")
package io.tttv2.testing.profile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

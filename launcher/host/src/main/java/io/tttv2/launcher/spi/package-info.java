/**
 * What the launcher offers the bundles it hosts, exported by the framework's system bundle: the one
 * service through which the host hands the command line to the bundle that implements the commands.
 */
@Export
@Version("1.0.0")
package io.tttv2.launcher.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

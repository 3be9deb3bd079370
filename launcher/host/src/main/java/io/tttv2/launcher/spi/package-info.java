/**
 * What the launcher offers the bundles it hosts, exported by the framework's system bundle: the service
 * through which the host hands the command line to the bundle that implements the commands, and (1.1) the
 * batch-jobs service a program embedding the host as a library ({@code EmbeddedHost}) feeds rows through.
 */
@Export
@Version("1.1.0")
package io.tttv2.launcher.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

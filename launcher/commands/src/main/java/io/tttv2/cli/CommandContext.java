package io.tttv2.cli;

import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.launcher.spi.HostCommandLine;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** What the commands need from the host: the framework, the registry and the distribution's home. */
record CommandContext(BundleContext bundleContext, CandidateRegistry registry) {

    Path home() {
        return Path.of(bundleContext.getProperty(HostCommandLine.HOME_PROPERTY));
    }

    boolean verbose() {
        return Boolean.parseBoolean(bundleContext.getProperty(HostCommandLine.VERBOSE_PROPERTY));
    }
}

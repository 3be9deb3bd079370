package io.tttv2.cli;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.launcher.spi.HostCommandLine;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** What the commands need from the host: the framework, the registry, the resolver and the distribution's home. */
record CommandContext(BundleContext bundleContext, CandidateRegistry registry, ModuleResolver resolver,
                      Assemblies assemblies) {

    Path home() {
        return Path.of(bundleContext.getProperty(HostCommandLine.HOME_PROPERTY));
    }

    boolean verbose() {
        return Boolean.parseBoolean(bundleContext.getProperty(HostCommandLine.VERBOSE_PROPERTY));
    }
}

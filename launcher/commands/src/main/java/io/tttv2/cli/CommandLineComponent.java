package io.tttv2.cli;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.launcher.spi.HostCommandLine;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Offers the command line to the host as a service; each call parses and runs one command. */
@Component(service = HostCommandLine.class)
public final class CommandLineComponent implements HostCommandLine {

    private final CommandContext context;

    @Activate
    public CommandLineComponent(BundleContext bundleContext, @Reference CandidateRegistry registry,
                                @Reference ModuleResolver resolver, @Reference Assemblies assemblies) {
        this.context = new CommandContext(bundleContext, registry, resolver, assemblies);
    }

    @Override
    public int run(List<String> args) {
        return TttCommand.run(context, args.toArray(String[]::new));
    }
}

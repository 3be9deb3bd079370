package io.tttv2.cli;

import io.tttv2.api.candidate.CandidateDescriptor;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code tttv2 modules}: the module candidates the installed bundles declare. */
@Command(name = "modules", description = "List the installed module candidates (read from bundle manifests).")
final class ModulesCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final CommandContext context;

    ModulesCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<CandidateDescriptor> candidates = context.registry().candidates();
        if (candidates.isEmpty()) {
            out.println("No module candidates are installed.");
        } else {
            out.printf("%-32s %-14s %-10s %-13s %s%n", "NAME", "KIND", "VERSION", "TIER", "BUNDLE");
            for (CandidateDescriptor c : candidates) {
                out.printf("%-32s %-14s %-10s %-13s %s%n", c.name(), c.kind().id(), c.version(), c.tier().id(), c.bundle());
            }
        }
        for (String rejection : context.registry().rejections()) {
            out.println("rejected: " + rejection);
        }
        return 0;
    }
}

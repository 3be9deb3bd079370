package io.tttv2.cli;

import io.tttv2.cli.modules.CompatibilityMatrix;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tttv2 compat}: the compatibility matrix of installed model bundles and module candidates. */
@Command(name = "compat",
        description = {
        "Show which installed models resolve with which module candidates, and why not.",
        "Installed model bundles x module candidates x versions: each cell resolved or unresolved, with the reason.",
        "Exits 1 if a model is unavailable or its assembly does not resolve."})
final class CompatCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    private final CommandContext context;

    CompatCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CompatibilityMatrix matrix = new CompatibilityMatrix(context.registry(), context.resolver(), context.assemblies());
        if (json) {
            matrix.printJson(out);
        } else {
            matrix.printTable(out);
        }
        return matrix.allResolve() ? 0 : 1;
    }
}

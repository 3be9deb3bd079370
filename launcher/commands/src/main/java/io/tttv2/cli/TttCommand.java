package io.tttv2.cli;

import io.tttv2.cli.bench.BenchCommand;
import io.tttv2.cli.convert.ConvertCommand;
import io.tttv2.cli.bundles.BundlesCommand;
import io.tttv2.cli.embed.EmbedCommand;
import io.tttv2.cli.generate.ChatCommand;
import io.tttv2.cli.generate.GenerateCommand;
import io.tttv2.cli.generate.ServeCommand;
import io.tttv2.cli.tokenize.DetokenizeCommand;
import io.tttv2.cli.tokenize.TokenizeCommand;
import io.tttv2.cli.report.ValidateFlag;
import io.tttv2.cli.synth.SynthCommand;
import io.tttv2.cli.validate.ValidateCommand;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tttv2}: the top-level command. Its options apply to every subcommand. */
@Command(name = "tttv2",
        description = "Transformer building blocks for the JVM, hosted as OSGi bundles.",
        synopsisSubcommandLabel = "COMMAND",
        mixinStandardHelpOptions = false,
        usageHelpAutoWidth = true)
final class TttCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--version", description = "Print the library version and the JDK (every bundle's with --verbose).")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show more: start-up time, bundle versions, stack traces of errors, info logging.")
    boolean verbose;

    @Option(names = "--validate", scope = CommandLine.ScopeType.INHERIT,
            description = "Validate every module the models obtain against its plain float64 reference while the command runs, then print the module report.")
    boolean validate;

    @Option(names = "--log-level", scope = CommandLine.ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Logging level of every bundle: ${COMPLETION-CANDIDATES} (default: warn).")
    LogLevel logLevel;

    @Option(names = "--home", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DIR",
            description = "Your own folder: user bundles and the keys trusted to sign them (default: ~/.tttv2; the host reads it before starting).")
    java.nio.file.Path userHome;

    private final CommandContext context;

    TttCommand(CommandContext context) {
        this.context = context;
    }

    /** The levels SLF4J's simple binding knows; the host applies the choice before bundles start. */
    enum LogLevel { trace, debug, info, warn, error, off }

    /** Parses and runs one command; whatever fails, the user reads one line (see {@link FailureLine}). */
    static int run(CommandContext context, String... args) {
        CommandLine cli = commandLine(context, args);
        try {
            return cli.execute(args);
        } catch (Throwable t) {   // Errors (OutOfMemoryError, StackOverflowError) pass picocli's handlers
            return FailureLine.report(t, cli.getErr(), context.verbose());
        }
    }

    /** The whole command line: every subcommand (what {@code help}, the command list and suggestions need). */
    static CommandLine commandLine(CommandContext context) {
        return commandLine(context, new String[0]);
    }

    /**
     * The command line for {@code args}: when they start with the name of a subcommand (other than {@code help},
     * which lists the others), only that subcommand is built. Building a subcommand reflects over its options,
     * mixins and nested commands; building all seventeen took ≈ 1 s more than one in a fresh JVM on the loaded
     * machine (docs/loading.md), and a command run needs only its own. Anything else (no arguments, top-level
     * options first, an unknown name) gets every subcommand, so usage, {@code --version} and "did you mean"
     * read as before.
     */
    static CommandLine commandLine(CommandContext context, String[] args) {
        Map<String, Supplier<Object>> subcommands = subcommands(context);
        String first = args.length > 0 ? args[0] : null;
        boolean one = first != null && !first.equals("help") && subcommands.containsKey(first);
        CommandLine cli = new CommandLine(new TttCommand(context));
        if (!one) {
            cli.addSubcommand("help", new CommandLine.HelpCommand());
        }
        for (Map.Entry<String, Supplier<Object>> e : subcommands.entrySet()) {
            if (!one || e.getKey().equals(first)) {
                cli.addSubcommand(e.getKey(), e.getValue().get());
            }
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            addHelpOption(sub);
        }
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli reads "@FILE" arguments as files of more arguments by default, even after "--": a prompt
        // "@/etc/hostname" became that file's text, parsed as options, and "@/dev/zero" hung. Arguments are
        // what was typed. Set after the subcommands: the setting is copied to the commands present.
        cli.setExpandAtFiles(false);
        cli.setParameterExceptionHandler(TttCommand::usageError);
        cli.setExecutionExceptionHandler((e, command, parsed) -> FailureLine.report(e, command.getErr(), context.verbose()));
        cli.setExecutionStrategy(parsed -> matched(parsed, "--validate") && !matched(parsed, "--modules")
                ? ValidateFlag.around(context.bundleContext(), cli.getOut(), () -> new CommandLine.RunLast().execute(parsed))
                : new CommandLine.RunLast().execute(parsed));
        return cli;
    }

    /**
     * Every subcommand after {@code help}, in the order {@code tttv2 help} lists them; each is made (a command
     * object, or a built {@link CommandLine} for {@code bundles}) only when asked for.
     */
    private static Map<String, Supplier<Object>> subcommands(CommandContext context) {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("modules", () -> new ModulesCommand(context));
        all.put("compat", () -> new CompatCommand(context));
        all.put("shell", () -> new ShellCommand(context));
        all.put("validate", () -> new ValidateCommand(context.bundleContext(), context.resolver(), context.registry()));
        all.put("generate", () -> new GenerateCommand(context.bundleContext(), context::home));
        all.put("chat", () -> new ChatCommand(context.bundleContext(), context::home));
        all.put("tokenize", TokenizeCommand::new);
        all.put("detokenize", DetokenizeCommand::new);
        all.put("serve", () -> new ServeCommand(context.bundleContext(), context::home));
        all.put("bench", () -> new BenchCommand(context.bundleContext(), context::home));
        all.put("embed", () -> new EmbedCommand(context.bundleContext()));
        all.put("config", io.tttv2.cli.config.ConfigCommand::new);
        all.put("tune", () -> new io.tttv2.cli.tune.TuneCommand(context.bundleContext(), context::home,
                () -> io.tttv2.cli.bundles.UserFolder.of(context.bundleContext()).root()));
        all.put("synth", () -> new SynthCommand(context::home));
        all.put("convert", () -> new ConvertCommand(context::home));
        all.put("bundles", () -> BundlesCommand.commandLine(context.bundleContext(), context.registry(), context.assemblies()));
        return all;
    }

    /** {@code tttv2 COMMAND --help} prints that command's usage (picocli gives subcommands no help option). */
    private static void addHelpOption(CommandLine sub) {
        CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help.").build());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (version) {
            new VersionReport(context).print(out, context.verbose());
            return 0;
        }
        spec.commandLine().usage(out);
        return 0;
    }

    /** True if {@code option} was given to the command or any of its subcommands. */
    private static boolean matched(CommandLine.ParseResult parsed, String option) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern NOT_A_NUMBER =
            java.util.regex.Pattern.compile("'([^']*)' is not an? (int|long|double|float)\\b");

    /** Bad usage: one line naming what was wrong, exit code 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            List<String> suggestions = u.getSuggestions();
            boolean command = !unmatched.isEmpty() && !unmatched.get(0).startsWith("-")
                    && u.getCommandLine().getParent() == null && u.getCommandLine().getSubcommands().size() > 0;
            message = command ? "unknown command '" + unmatched.get(0) + "'"
                    : "unknown argument '" + String.join(" ", unmatched) + "'";
            if (!suggestions.isEmpty()) {
                message += " (did you mean " + String.join(" or ", suggestions) + "?)";
            }
        }
        // picocli names Java types ("'x' is not an int"); say what is expected instead
        message = NOT_A_NUMBER.matcher(message).replaceAll(m -> "expected " + switch (m.group(2)) {
            case "int" -> "an integer up to 2147483647";
            case "long" -> "an integer up to 9223372036854775807";
            default -> "a number";
        } + ", found '" + java.util.regex.Matcher.quoteReplacement(m.group(1)) + "'");
        e.getCommandLine().getErr().println("tttv2: " + message + "; see 'tttv2 help'");
        return 2;
    }
}

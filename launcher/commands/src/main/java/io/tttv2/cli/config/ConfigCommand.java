package io.tttv2.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.cli.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tttv2 config diff A.json B.json}: the fields two configuration dumps differ in. */
@Command(name = "config", description = "Work with configuration dumps (--dump-config FILE).",
        subcommands = ConfigCommand.Diff.class)
public final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "diff", description = {
            "Print exactly the fields two JSON documents (e.g. configuration dumps) differ in, by JSON path: A's value, then B's.",
            "Exit 0 if they are the same, 1 if they differ."})
    static final class Diff implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print a JSON list of {path, a, b} instead of lines.")
        boolean json;

        @Parameters(index = "0", paramLabel = "A.json")
        Path a;

        @Parameters(index = "1", paramLabel = "B.json")
        Path b;

        @Override
        public Integer call() {
            List<JsonDiff.Difference> differences = JsonDiff.of(read(a), read(b));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ArrayNode list = ConfigDump.MAPPER.createArrayNode();
                for (JsonDiff.Difference d : differences) {
                    ObjectNode n = list.addObject();
                    n.put("path", d.path());
                    n.set("a", d.a());
                    n.set("b", d.b());
                }
                try {
                    out.println(ConfigDump.MAPPER.writeValueAsString(list));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                for (JsonDiff.Difference d : differences) {
                    out.println(d.path() + ": " + JsonDiff.text(d.a()) + " -> " + JsonDiff.text(d.b()));
                }
            }
            out.flush();
            return differences.isEmpty() ? 0 : 1;
        }

        private static JsonNode read(Path file) {
            try {
                return ConfigDump.MAPPER.readTree(Files.readString(file));
            } catch (NoSuchFileException e) {
                throw new UserError(file + ": no such file", 2, e);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UserError(file + ": expected JSON, found invalid JSON (" + e.getOriginalMessage().replaceAll("\\s+", " ")
                        + ")", 2, e);
            } catch (IOException e) {
                throw new UserError(file + ": cannot be read (" + e.getMessage() + ")", 2, e);
            }
        }
    }
}

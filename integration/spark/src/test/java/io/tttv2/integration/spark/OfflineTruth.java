package io.tttv2.integration.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.launcher.EmbeddedHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@code generate --greedy} and {@code embed} commands print, run in a host of the tests' own (not the
 * one Spark's tasks use in local mode), started once per test JVM and stopped when it exits.
 */
final class OfflineTruth {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OfflineTruth shared;
    private final EmbeddedHost host;

    private OfflineTruth(EmbeddedHost host) {
        this.host = host;
    }

    static synchronized OfflineTruth shared() throws Exception {
        if (shared == null) {
            EmbeddedHost host = EmbeddedHost.start(BuiltDistribution.home());
            Runtime.getRuntime().addShutdownHook(new Thread(host::close, "offline-truth-stop"));
            shared = new OfflineTruth(host);
        }
        return shared;
    }

    /** {@code tttv2 generate --greedy --json --max-tokens N --model DIR PROMPT}: text, generated_ids, finish_reason. */
    JsonNode generate(Path model, String prompt, int maxTokens) throws Exception {
        return run(List.of("generate", "--greedy", "--json", "--max-tokens", Integer.toString(maxTokens), "--model",
                model.toString(), prompt));
    }

    /** {@code tttv2 embed --json --model DIR TEXT...}: one vector per text. */
    JsonNode embed(Path model, List<String> texts) throws Exception {
        List<String> args = new ArrayList<>(List.of("embed", "--json", "--model", model.toString()));
        args.addAll(texts);
        return run(args).get("embeddings");
    }

    private JsonNode run(List<String> args) throws Exception {
        EmbeddedHost.CommandResult result = host.run(args);
        assertEquals(0, result.exitCode(), "tttv2 " + args + " printed: " + result.out());
        return JSON.readTree(result.out().strip());
    }
}

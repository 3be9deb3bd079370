package io.tttv2.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.cli.ProcessClock;
import io.tttv2.cli.UserError;
import io.tttv2.launcher.spi.HostCommandLine;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code bench --json} reports besides speed, for comparing engines on the same input: the greedy
 * tokens with each step's top-2 logit margin (a token is only comparable where the margin is clear), and
 * the time from the process's start to its first token (the cold first prefill included).
 */
final class GreedyRecord {
    private final int[] tokens;
    private final float[] margins;
    private int count;
    private Duration firstToken;
    private Duration loaded;
    private long firstTokenEpochMillis = -1;
    private Runnable onFirstToken = () -> { };

    GreedyRecord(int capacity) {
        tokens = new int[capacity];
        margins = new float[capacity];
    }

    /** Called after every prefill; only the process's first one counts. */
    void firstToken() {
        if (firstToken == null) {
            firstToken = sinceProcessStart();
            firstTokenEpochMillis = System.currentTimeMillis();
            onFirstToken.run();
        }
    }

    /** Forgets the tokens recorded so far (a new round starts); the first token's time stays. */
    void restart() {
        count = 0;
    }

    /** Called once the model is loaded: {@code loaded_ms} (since the process's start) in the JSON. */
    void modelLoaded() {
        loaded = sinceProcessStart();
    }

    /** Also runs {@code listener} when the first token is recorded ({@code --verbose}'s start-up line). */
    void onFirstToken(Runnable listener) {
        onFirstToken = listener;
    }

    private static Duration sinceProcessStart() {
        return Duration.ofMillis(ProcessClock.millisSinceStart());
    }

    /** Records the chosen token and the gap between the best and second-best logits of {@code logits [1, vocab]}. */
    void add(int token, Tensor logits, int vocab) {
        float best = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits.getFloat(0, i);
            if (v > best) {
                second = best;
                best = v;
            } else if (v > second) {
                second = v;
            }
        }
        tokens[count] = token;
        margins[count] = best - second;
        count++;
    }

    /** How long the host took to start all bundles, as it measured it; -1 if it did not say. */
    private static long hostMillis() {
        String host = System.getProperty(HostCommandLine.STARTUP_MILLIS_PROPERTY);
        try {
            return host == null ? -1 : Long.parseLong(host);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The ids given on the command line, each checked against the vocabulary. */
    static int[] checkedIds(int[] ids, int vocab) {
        if (ids.length == 0) {
            throw new UserError("--prompt-ids expected at least one id, found none", 2, null);
        }
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw new UserError("--prompt-ids expected ids in 0 .. " + (vocab - 1) + " (the model's vocabulary), found "
                        + id, 2, null);
            }
        }
        return ids.clone();
    }

    String json(Path model, String architecture, int promptTokens, int decodeTokens, double[] prefill, double[] decode,
                double prefillMedian, double decodeMedian, long peakRssKib, long loadMs) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("engine", "tttv2");
        o.put("model", model.toString());
        o.put("architecture", architecture);
        o.put("workers", Runtime.getRuntime().availableProcessors());
        o.put("matmul_precision", io.tttv2.cli.MatmulPrecisionOption.effective());
        o.put("prompt_tokens", promptTokens);
        o.put("decode_tokens", decodeTokens);
        o.put("prefill_tps", prefillMedian);
        o.put("decode_tps", decodeMedian);
        ArrayNode rounds = o.putArray("rounds");
        for (int r = 0; r < prefill.length; r++) {
            rounds.addObject().put("prefill_tps", prefill[r]).put("decode_tps", decode[r]);
        }
        o.put("load_ms", loadMs);
        o.put("first_token_ms", firstToken == null ? -1 : firstToken.toMillis());
        // the wall clock at the first token, so that a caller can count from when it spawned this process
        // (the peer script does, for both engines: the launcher script's own time included)
        o.put("first_token_epoch_ms", firstTokenEpochMillis);
        // the phases before it, for a breakdown: the host's start (framework and bundles; -1 if unknown) and
        // the end of the model's load, counted from the process's start as first_token_ms is
        o.put("host_ms", hostMillis());
        o.put("loaded_ms", loaded == null ? -1 : loaded.toMillis());
        o.put("peak_rss_kib", peakRssKib);
        ArrayNode t = o.putArray("tokens");
        ArrayNode m = o.putArray("margins");
        for (int i = 0; i < count; i++) {
            t.add(tokens[i]);
            m.add(margins[i]);
        }
        return o.toString();
    }
}

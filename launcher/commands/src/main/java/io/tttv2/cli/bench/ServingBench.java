package io.tttv2.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Serving throughput and latency at several concurrencies, against an OpenAI-compatible server: C clients
 * each send streaming greedy completions one after another, their first requests spread by {@link Arrivals}
 * (a ramp by default); the figures are aggregate decode tokens/s over the window in which all C clients are
 * active (ramp-up and drain left out, as load tools do), time to first token and inter-token latency
 * percentiles as a client sees them, and whole-request latency. Each request's prompt comes from
 * {@link BenchPrompts}: its own by default, or one shared by all (then sent as text, as a client would).
 *
 * <p>Each client reads its stream on its own thread over a blocking connection (the JDK's
 * {@link HttpURLConnection}, kept alive between requests). The JDK's asynchronous {@code HttpClient} hands each
 * chunk from its selector thread to an executor thread before the reading thread sees it: with the clients in the
 * server's process on 2 cores, those two extra wake-ups per token per stream took the cores from the model's step
 * (kjv-tiny, eight streams, one run each: the model's 8-row step took 1.7 ms in the server with that client, 0.94 ms
 * with this one, 0.74 ms alone).
 */
final class ServingBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // HttpURLConnection keeps 5 idle connections per server unless told otherwise: at higher concurrencies the
        // other clients would open a new connection for every request. Read once, when its cache is first used.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "1024");
        }
    }

    /**
     * One request's figures: when it was sent and each text chunk's arrival ({@link System#nanoTime()}), and the
     * completion tokens the server counted.
     */
    record Sample(long sent, long end, int tokens, long[] chunks) {

        long firstToken() {
            return (chunks.length > 0 ? chunks[0] : end) - sent;
        }

        long total() {
            return end - sent;
        }

        /** Completion tokens whose chunks arrived in (from, to]: its tokens in proportion to its chunks there. */
        double tokensWithin(long from, long to) {
            if (chunks.length == 0) {
                return from <= sent && end <= to ? tokens : 0;
            }
            int inside = 0;
            for (long t : chunks) {
                if (t > from && t <= to) {
                    inside++;
                }
            }
            return (double) tokens * inside / chunks.length;
        }
    }

    /** Decode tokens/s over a window, and the window. */
    record Throughput(double tokensPerSecond, long from, long to, boolean steady) {
    }

    private final String baseUrl;
    private final String apiKey;
    private final String model;
    private final BenchPrompts prompts;
    private final String sharedText;         // with shared prompts: the text they encode, sent as such; else null
    private final int maxTokens;
    private final Arrivals arrivals;
    private final Map<Integer, Long> medianLatency = new HashMap<>();   // by concurrency, from the last run at it

    ServingBench(String baseUrl, String apiKey, String model, BenchPrompts prompts, String sharedText, int maxTokens,
                 Arrivals arrivals) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.model = model;
        this.prompts = prompts;
        this.sharedText = prompts.isShared() ? sharedText : null;
        this.maxTokens = maxTokens;
        this.arrivals = arrivals;
    }

    /** How the first requests are spread, for the benchmark's header. */
    String describeArrivals() {
        return switch (arrivals) {
            case RAMP -> "arrivals: ramp (client c of C sends its first request c/C of one request's duration late: the median"
                    + " request at C in the warm-up or an earlier run, else one request sent alone first; then one request after"
                    + " another); decode tok/s over the window in which all C clients are active";
            case LOCKSTEP -> "arrivals: lockstep (all C clients send their first requests at once, then one request after another);"
                    + " decode tok/s over the window in which all C clients are active";
        };
    }

    /** Runs {@code requestsPerClient} requests on each of {@code concurrency} clients and prints one line. */
    void run(int concurrency, int requestsPerClient, PrintWriter out) throws Exception {
        long ramp = arrivals == Arrivals.RAMP && concurrency > 1 ? rampNanos(concurrency) : 0;
        List<Future<List<Sample>>> clients = new ArrayList<>();
        List<int[]> sent = prompts.next(concurrency * requestsPerClient);     // client c's r-th: c * requestsPerClient + r
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            for (int c = 0; c < concurrency; c++) {
                List<int[]> mine = sent.subList(c * requestsPerClient, (c + 1) * requestsPerClient);
                long firstAt = start + ramp * c / concurrency;
                clients.add(pool.submit(() -> {
                    sleepUntil(firstAt);
                    List<Sample> samples = new ArrayList<>();
                    for (int[] prompt : mine) {
                        samples.add(request(prompt));
                    }
                    return samples;
                }));
            }
            List<List<Sample>> byClient = new ArrayList<>();
            for (Future<List<Sample>> f : clients) {
                byClient.add(f.get());
            }
            List<Sample> all = byClient.stream().flatMap(List::stream).toList();
            Throughput throughput = throughput(byClient);
            long[] ttft = all.stream().mapToLong(Sample::firstToken).sorted().toArray();
            long[] total = all.stream().mapToLong(Sample::total).sorted().toArray();
            long[] gaps = all.stream().flatMapToLong(s -> gaps(s.chunks())).sorted().toArray();
            medianLatency.put(concurrency, total[(total.length - 1) / 2]);
            out.printf(Locale.ROOT, "concurrency %3d: %4d requests, %7.1f decode tok/s; TTFT p50 %6.1f p90 %6.1f p99 %6.1f ms;"
                            + " ITL p50 %5.1f p99 %5.1f ms; latency p50 %7.1f p99 %7.1f ms; %s%n",
                    concurrency, all.size(), throughput.tokensPerSecond(), ms(ttft, 50), ms(ttft, 90), ms(ttft, 99),
                    ms(gaps, 50), ms(gaps, 99), ms(total, 50), ms(total, 99),
                    (ramp > 0 ? String.format(Locale.ROOT, "ramp %.0f ms, ", ramp / 1e6) : concurrency > 1 ? arrivals + ", " : "")
                            + (throughput.steady() ? String.format(Locale.ROOT, "window %.1f s", (throughput.to() - throughput.from()) / 1e9)
                            : "whole run (no window with every client active)"));
            out.flush();
        }
    }

    /**
     * Tokens/s over the window in which every client is active: from the last client's first request to the first
     * client's last answer. Without such a window (one request each, ramped over more than a request) the whole run.
     */
    static Throughput throughput(List<List<Sample>> byClient) {
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<Sample> client : byClient) {
            from = Math.max(from, client.getFirst().sent());
            to = Math.min(to, client.getLast().end());
            first = Math.min(first, client.getFirst().sent());
            last = Math.max(last, client.getLast().end());
        }
        boolean steady = to > from;
        if (!steady) {
            from = first;
            to = last;
        }
        double tokens = 0;
        for (List<Sample> client : byClient) {
            for (Sample s : client) {
                tokens += steady ? s.tokensWithin(from, to) : s.tokens();
            }
        }
        return new Throughput(tokens / ((to - from) / 1e9), from, to, steady);
    }

    /** The ramp at this concurrency: the median request of the last run at it, else one request timed alone. */
    private long rampNanos(int concurrency) throws IOException, InterruptedException {
        Long known = medianLatency.get(concurrency);
        if (known != null) {
            return known;
        }
        return request(prompts.next(1).getFirst()).total();
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static java.util.stream.LongStream gaps(long[] chunks) {
        return java.util.stream.IntStream.range(1, chunks.length).mapToLong(i -> chunks[i] - chunks[i - 1]);
    }

    /** One streaming greedy completion, timed from sending to each text chunk. */
    private Sample request(int[] prompt) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("model", model);
        if (sharedText != null) {
            request.put("prompt", sharedText);
        } else {
            ArrayNode ids = request.putArray("prompt");
            for (int id : prompt) {
                ids.add(id);
            }
        }
        String body = request.put("max_tokens", maxTokens).put("temperature", 0).put("stream", true)
                .set("stream_options", JSON.createObjectNode().put("include_usage", true)).toString();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + "/v1/completions").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(bytes.length);
        connection.setConnectTimeout(10_000);
        connection.setRequestProperty("Content-Type", "application/json");
        if (apiKey != null) {
            connection.setRequestProperty("Authorization", "Bearer " + apiKey);
        }
        long sent = System.nanoTime();
        try (OutputStream out = connection.getOutputStream()) {
            out.write(bytes);
        }
        int status = connection.getResponseCode();
        if (status != 200) {
            InputStream errorStream = connection.getErrorStream();
            String error = errorStream == null ? "" : new String(errorStream.readAllBytes(), StandardCharsets.UTF_8);
            throw new UserError(baseUrl + "/v1/completions answered " + status + ": " + error.strip());
        }
        List<Long> chunks = new ArrayList<>();
        int tokens = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                long now = System.nanoTime();
                JsonNode event = JSON.readTree(line.substring(6));
                if (event.has("usage") && event.get("usage").isObject()) {
                    tokens = event.get("usage").get("completion_tokens").asInt();
                }
                JsonNode choices = event.path("choices");
                if (choices.size() > 0 && !choices.get(0).path("text").asText().isEmpty()) {
                    chunks.add(now);
                }
            }
        }
        return new Sample(sent, System.nanoTime(), tokens, chunks.stream().mapToLong(Long::longValue).toArray());
    }

    /** The {@code p}-th percentile of sorted nanoseconds, in milliseconds (nearest rank); 0 if none. */
    static double ms(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}

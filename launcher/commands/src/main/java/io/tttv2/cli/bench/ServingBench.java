package io.tttv2.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Serving throughput and latency at several concurrencies, against an OpenAI-compatible server: C clients
 * each send streaming greedy completions one after another; the figures are aggregate decode tokens/s
 * (completion tokens of all requests over the wall time), time to first token and inter-token latency
 * percentiles as a client sees them, and whole-request latency. Each request's prompt comes from
 * {@link BenchPrompts}: its own by default, or one shared by all (then sent as text, as a client would).
 */
final class ServingBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request's figures, in nanoseconds. */
    private record Sample(long firstToken, long total, int tokens, long[] gaps) {
    }

    private final String baseUrl;
    private final String apiKey;
    private final String model;
    private final BenchPrompts prompts;
    private final String sharedText;         // with shared prompts: the text they encode, sent as such; else null
    private final int maxTokens;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServingBench(String baseUrl, String apiKey, String model, BenchPrompts prompts, String sharedText, int maxTokens) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.model = model;
        this.prompts = prompts;
        this.sharedText = prompts.isShared() ? sharedText : null;
        this.maxTokens = maxTokens;
    }

    /** Runs {@code requestsPerClient} requests on each of {@code concurrency} clients and prints one line. */
    void run(int concurrency, int requestsPerClient, PrintWriter out) throws Exception {
        List<Future<List<Sample>>> clients = new ArrayList<>();
        List<int[]> sent = prompts.next(concurrency * requestsPerClient);     // client c's r-th: c * requestsPerClient + r
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            for (int c = 0; c < concurrency; c++) {
                List<int[]> mine = sent.subList(c * requestsPerClient, (c + 1) * requestsPerClient);
                clients.add(pool.submit(() -> {
                    List<Sample> samples = new ArrayList<>();
                    for (int[] prompt : mine) {
                        samples.add(request(prompt));
                    }
                    return samples;
                }));
            }
            List<Sample> all = new ArrayList<>();
            for (Future<List<Sample>> f : clients) {
                all.addAll(f.get());
            }
            long wall = System.nanoTime() - start;
            long tokens = all.stream().mapToLong(Sample::tokens).sum();
            long[] ttft = all.stream().mapToLong(Sample::firstToken).sorted().toArray();
            long[] total = all.stream().mapToLong(Sample::total).sorted().toArray();
            long[] gaps = all.stream().flatMapToLong(s -> Arrays.stream(s.gaps())).sorted().toArray();
            out.printf(Locale.ROOT, "concurrency %3d: %4d requests, %7.1f decode tok/s; TTFT p50 %6.1f p90 %6.1f p99 %6.1f ms;"
                            + " ITL p50 %5.1f p99 %5.1f ms; latency p50 %7.1f p99 %7.1f ms%n",
                    concurrency, all.size(), tokens / (wall / 1e9), ms(ttft, 50), ms(ttft, 90), ms(ttft, 99),
                    ms(gaps, 50), ms(gaps, 99), ms(total, 50), ms(total, 99));
            out.flush();
        }
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
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        long sent = System.nanoTime();
        HttpResponse<java.io.InputStream> response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String error = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new UserError(baseUrl + "/v1/completions answered " + response.statusCode() + ": " + error.strip());
        }
        long first = -1, last = sent;
        List<Long> gaps = new ArrayList<>();
        int tokens = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
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
                    if (first < 0) {
                        first = now - sent;
                    } else {
                        gaps.add(now - last);
                    }
                    last = now;
                }
            }
        }
        long total = System.nanoTime() - sent;
        return new Sample(first < 0 ? total : first, total, tokens, gaps.stream().mapToLong(Long::longValue).toArray());
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

package io.tttv2.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The serving benchmark's prompts (distinct per request by default, one shared on request), what it sends, how its
 * clients' first requests are spread, and the window its throughput is counted over.
 */
class ServingBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] POOL = {5, 9, 12, 40, 41, 77, 300};

    @Test
    void distinctPromptsHaveOneLengthComeFromThePoolAndNeverRepeat() {
        BenchPrompts prompts = BenchPrompts.distinct(POOL, 6, 42);
        assertFalse(prompts.isShared());
        Set<String> seen = new HashSet<>();
        Set<Integer> pool = Arrays.stream(POOL).boxed().collect(Collectors.toSet());
        for (int run = 0; run < 3; run++) {                     // across runs too: a later run meets no cached prefix
            for (int[] p : prompts.next(40)) {
                assertEquals(6, p.length);
                for (int id : p) {
                    assertTrue(pool.contains(id), id + " is not in the pool");
                }
                assertTrue(seen.add(Arrays.toString(p)), "repeated " + Arrays.toString(p));
            }
        }
    }

    @Test
    void distinctPromptsAreDeterministicFromTheSeed() {
        List<int[]> a = BenchPrompts.distinct(POOL, 5, 7).next(10);
        List<int[]> b = BenchPrompts.distinct(POOL, 5, 7).next(10);
        List<int[]> c = BenchPrompts.distinct(POOL, 5, 8).next(10);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        assertFalse(Arrays.deepEquals(a.toArray(), c.toArray()), "another seed, other prompts");
    }

    @Test
    void sharedPromptIsTheSameForEveryRequest() {
        BenchPrompts prompts = BenchPrompts.shared(new int[] {3, 1, 4});
        assertTrue(prompts.isShared());
        for (int[] p : prompts.next(5)) {
            assertArrayEquals(new int[] {3, 1, 4}, p);
        }
        assertTrue(prompts.describe().contains("one shared prompt of 3 tokens"), prompts.describe());
        assertTrue(BenchPrompts.distinct(POOL, 3, 9).describe().contains("distinct per request, 3 tokens each (seed 9)"));
    }

    @Test
    void aPoolOfOneIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchPrompts.distinct(new int[] {4, 4}, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> BenchPrompts.distinct(POOL, 0, 1));
    }

    /** Against a stub server: each request carries its own token ids by default, the shared text with shared prompts. */
    @Test
    void theBenchSendsEachRequestItsOwnPromptOrTheSharedText() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/completions", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            synchronized (bodies) {
                bodies.add(body);
            }
            byte[] sse = ("data: {\"choices\":[{\"text\":\" a\"}]}\n\ndata: {\"choices\":[{\"text\":\" b\"}]}\n\n"
                    + "data: {\"choices\":[],\"usage\":{\"completion_tokens\":2}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, sse.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(sse);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            StringWriter printed = new StringWriter();
            new ServingBench(url, null, "m", BenchPrompts.distinct(POOL, 4, 1), "ignored", 2, Arrivals.LOCKSTEP)
                    .run(3, 2, new PrintWriter(printed));
            assertEquals(6, bodies.size());
            Set<String> prompts = new HashSet<>();
            for (JsonNode body : bodies) {
                assertTrue(body.get("prompt").isArray(), body.toString());
                assertEquals(4, body.get("prompt").size());
                prompts.add(body.get("prompt").toString());
            }
            assertEquals(6, prompts.size(), "six requests, six prompts: " + prompts);
            assertTrue(printed.toString().contains("concurrency   3:    6 requests"), printed.toString());

            bodies.clear();
            new ServingBench(url, null, "m", BenchPrompts.shared(new int[] {1, 2}), "In the beginning", 2, Arrivals.LOCKSTEP)
                    .run(2, 1, new PrintWriter(new StringWriter()));
            assertEquals(2, bodies.size());
            for (JsonNode body : bodies) {
                assertEquals("In the beginning", body.get("prompt").asText());
            }
        } finally {
            server.stop(0);
        }
    }

    /**
     * A stub that answers each request after {@code delayMillis} and records when each arrived; ramp: one request
     * alone first (the ramp's length), then client c's first request at least c/C of it after client 0's.
     */
    @Test
    void rampSpreadsTheFirstRequestsOverOneRequestsDuration() throws Exception {
        int delayMillis = 200;
        List<Long> arrivals = new ArrayList<>();
        HttpServer server = stub(delayMillis, arrivals);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            StringWriter printed = new StringWriter();
            ServingBench bench = new ServingBench(url, null, "m", BenchPrompts.distinct(POOL, 4, 1), "ignored", 2, Arrivals.RAMP);
            bench.run(4, 1, new PrintWriter(printed));
            assertEquals(5, arrivals.size(), "a probe request alone, then one per client");
            long ramp = arrivals.get(1) - arrivals.get(0);
            assertTrue(ramp >= delayMillis * 1_000_000L, "the probe ran alone: " + ramp / 1e6 + " ms");
            List<Long> firsts = new ArrayList<>(arrivals.subList(1, 5));
            java.util.Collections.sort(firsts);
            // client c sleeps until c/4 of the probe's duration (≥ 200 ms) after client 0: ≥ 150 ms from first to last
            assertTrue(firsts.get(3) - firsts.get(0) >= 140_000_000L, "spread " + (firsts.get(3) - firsts.get(0)) / 1e6 + " ms");
            assertTrue(printed.toString().contains("ramp "), printed.toString());

            arrivals.clear();
            StringWriter again = new StringWriter();
            bench.run(4, 1, new PrintWriter(again));                // the median request of the last run at 4: no probe
            assertEquals(4, arrivals.size(), arrivals.toString());

            arrivals.clear();
            new ServingBench(url, null, "m", BenchPrompts.distinct(POOL, 4, 2), "ignored", 2, Arrivals.LOCKSTEP)
                    .run(4, 1, new PrintWriter(new StringWriter()));
            assertEquals(4, arrivals.size(), "lockstep sends no probe");
        } finally {
            server.stop(0);
        }
    }

    /** Throughput counts the tokens whose chunks arrive while every client is active, over that window. */
    @Test
    void throughputIsCountedOverTheWindowWithEveryClientActive() {
        long s = 1_000_000_000L;
        // client 0: one request 0 .. 4 s, 4 tokens at 1, 2, 3, 4 s; client 1: 2 .. 6 s, 4 tokens at 3, 4, 5, 6 s
        List<List<ServingBench.Sample>> clients = List.of(
                List.of(new ServingBench.Sample(0, 4 * s, 4, new long[] {s, 2 * s, 3 * s, 4 * s})),
                List.of(new ServingBench.Sample(2 * s, 6 * s, 4, new long[] {3 * s, 4 * s, 5 * s, 6 * s})));
        ServingBench.Throughput t = ServingBench.throughput(clients);
        assertTrue(t.steady());
        assertEquals(2 * s, t.from());
        assertEquals(4 * s, t.to());
        assertEquals(2.0, t.tokensPerSecond(), 1e-9, "2 + 2 tokens in 2 s");

        // one request each, the second starting after the first ended: no common window, the whole run
        List<List<ServingBench.Sample>> apart = List.of(
                List.of(new ServingBench.Sample(0, 2 * s, 4, new long[] {s, 2 * s})),
                List.of(new ServingBench.Sample(3 * s, 4 * s, 4, new long[] {4 * s})));
        ServingBench.Throughput whole = ServingBench.throughput(apart);
        assertFalse(whole.steady());
        assertEquals(2.0, whole.tokensPerSecond(), 1e-9, "8 tokens in 4 s");
    }

    @Test
    void arrivalsParseAndRefuseOtherValues() {
        assertEquals(Arrivals.RAMP, Arrivals.parse("ramp"));
        assertEquals(Arrivals.LOCKSTEP, Arrivals.parse("LockStep"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Arrivals.parse("poisson"));
        assertEquals("--arrivals: expected ramp or lockstep, found poisson", e.getMessage());
    }

    private static HttpServer stub(int delayMillis, List<Long> arrivals) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/completions", exchange -> {
            synchronized (arrivals) {
                arrivals.add(System.nanoTime());
            }
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] sse = ("data: {\"choices\":[{\"text\":\" a\"}]}\n\n"
                    + "data: {\"choices\":[],\"usage\":{\"completion_tokens\":1}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, sse.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(sse);
            }
        });
        server.start();
        return server;
    }
}

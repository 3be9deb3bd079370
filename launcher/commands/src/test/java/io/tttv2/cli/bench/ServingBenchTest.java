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

/** The serving benchmark's prompts: distinct per request by default, one shared on request; and what it sends. */
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
            new ServingBench(url, null, "m", BenchPrompts.distinct(POOL, 4, 1), "ignored", 2).run(3, 2, new PrintWriter(printed));
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
            new ServingBench(url, null, "m", BenchPrompts.shared(new int[] {1, 2}), "In the beginning", 2)
                    .run(2, 1, new PrintWriter(new StringWriter()));
            assertEquals(2, bodies.size());
            for (JsonNode body : bodies) {
                assertEquals("In the beginning", body.get("prompt").asText());
            }
        } finally {
            server.stop(0);
        }
    }
}

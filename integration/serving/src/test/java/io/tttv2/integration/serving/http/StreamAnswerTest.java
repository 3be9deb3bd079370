package io.tttv2.integration.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.integration.serving.scheduler.Completion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamAnswer} over a real Jetty server and a raw HTTP/1.1 client on loopback: the test thread plays the
 * scheduler's delivery thread, calling the listener while writes are in flight, as the server does.
 */
class StreamAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Server server;
    private ServerConnector connector;
    /** The answers the handler made, one per request, for the test to drive. */
    private final BlockingQueue<StreamAnswer> answers = new ArrayBlockingQueue<>(4);
    /** Events the test sends before the handler attaches (they must wait, then go out first). */
    private volatile List<String> beforeAttach = List.of();
    private final AtomicInteger cancels = new AtomicInteger();
    private final CountDownLatch cancelled = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                ChoiceWriter choices = new ChoiceWriter(JSON, "cmpl-test", "text_completion", 1, "m", false);
                StreamAnswer answer = new StreamAnswer(response, callback, choices, true, () -> { });
                for (String piece : beforeAttach) {
                    answer.text(piece);
                }
                answer.attach(() -> {
                    cancels.incrementAndGet();
                    cancelled.countDown();
                });
                answers.add(answer);
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void everyPieceArrivesOnceInOrderThoughEventsComeWhileWritesAreInFlight() throws Exception {
        beforeAttach = List.of("early-0 ", "early-1 ");
        try (Socket socket = open()) {
            StreamAnswer answer = answers.poll(10, TimeUnit.SECONDS);
            StringBuilder expected = new StringBuilder("early-0 early-1 ");
            // ≈ 13 MB of events before the client reads: more than the socket buffers hold (the client's is small), so
            // writes stay in flight while events keep coming, and those gather
            for (int i = 0; i < 100_000; i++) {
                String piece = "p" + i + " ";
                expected.append(piece);
                answer.text(piece);
            }
            answer.finished(new Completion(Completion.Outcome.LENGTH, 3, 100_002, expected.toString()));

            List<String> events = readEvents(socket);
            assertEquals("[DONE]", events.getLast(), "the stream ends with [DONE]");
            StringBuilder text = new StringBuilder();
            for (String e : events.subList(0, events.size() - 3)) {
                text.append(JSON.readTree(e).at("/choices/0/text").asText());
            }
            assertEquals(expected.toString(), text.toString());
            JsonNode closing = JSON.readTree(events.get(events.size() - 3));
            assertEquals("length", closing.at("/choices/0/finish_reason").asText());
            JsonNode usage = JSON.readTree(events.get(events.size() - 2));
            assertEquals(100_002, usage.at("/usage/completion_tokens").asInt());
            assertEquals(0, cancels.get(), "nothing was cancelled");
        }
    }

    @Test
    void aClientThatLeavesMidStreamCancelsTheRequestOnTheNextWrite() throws Exception {
        Socket socket = open();
        StreamAnswer answer = answers.poll(10, TimeUnit.SECONDS);
        answer.text("first ");
        BufferedReader in = reader(socket);
        while (!in.readLine().startsWith("data: ")) {
            // headers and chunk sizes
        }
        socket.setSoLinger(true, 0);                 // a reset, as a client killed mid-stream sends
        socket.close();
        for (int i = 0; i < 10_000 && cancelled.getCount() > 0; i++) {
            answer.text("more ");
            Thread.sleep(1);
        }
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "a failed write cancels the request");
        assertEquals(1, cancels.get(), "cancelled once");
    }

    private Socket open() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(8192);          // small, so that the server's writes fill it and stay in flight
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", connector.getLocalPort()));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The data of every event until the stream's end (a zero-length chunk), after checking status and type. */
    private static List<String> readEvents(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        BufferedReader in = reader(socket);
        assertEquals("HTTP/1.1 200 OK", in.readLine());
        boolean eventStream = false;
        for (String line; !(line = in.readLine()).isEmpty(); ) {
            eventStream |= line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type: text/event-stream");
        }
        assertTrue(eventStream, "served as text/event-stream");
        List<String> events = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            } else if (line.equals("0")) {
                break;                                 // the last chunk
            }
        }
        return events;
    }
}

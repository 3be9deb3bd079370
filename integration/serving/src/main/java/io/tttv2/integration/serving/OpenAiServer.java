package io.tttv2.integration.serving;

import io.tttv2.integration.serving.http.ApiHandler;
import io.tttv2.integration.serving.metrics.ServingMetrics;
import io.tttv2.integration.serving.scheduler.Scheduler;
import io.tttv2.integration.serving.scheduler.SchedulerConfig;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An OpenAI-compatible server on an embedded Jetty 12 (its core handler API, no servlet container): one
 * model, shared by continuous batching. {@link #start} binds and returns; {@link #stop} stops accepting,
 * lets running requests finish within the grace period, cancels the rest and frees the KV cache.
 */
@ProviderType
public final class OpenAiServer implements AutoCloseable {

    /** After the scheduler stopped: how long handlers may take to write their last events. */
    private static final long DRAIN_MILLIS = 2_000;

    /** Idle connections close after this long. */
    private static final long IDLE_TIMEOUT_MILLIS = 300_000;

    private final Server server;
    private final ApiHandler handler;
    private final ServerConnector connector;
    private final Scheduler scheduler;
    private final ServerOptions options;
    private boolean stopped;

    private OpenAiServer(Server server, ApiHandler handler, ServerConnector connector, Scheduler scheduler, ServerOptions options) {
        this.server = server;
        this.handler = handler;
        this.connector = connector;
        this.scheduler = scheduler;
        this.options = options;
    }

    /**
     * Starts serving {@code model}.
     *
     * @throws ServerStartException (one line) if the address cannot be bound or the options do not fit
     */
    public static OpenAiServer start(ServedModel model, ServerOptions options) {
        SchedulerConfig config;
        try {
            config = new SchedulerConfig(options.maxBatch(), options.maxQueue(), options.kvBlocks(), options.blockSize(),
                    options.stepTokens());
        } catch (IllegalArgumentException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        Scheduler[] holder = new Scheduler[1];
        ServingMetrics metrics = new ServingMetrics(() -> holder[0].waiting(), () -> holder[0].running(),
                () -> holder[0].blocks() - holder[0].freeBlocks(), () -> holder[0].freeBlocks());
        Scheduler scheduler = new Scheduler(model.runner(), model.tokenizer(), config, metrics);
        holder[0] = scheduler;
        // threads read and check requests; answers are written from the scheduler's delivery thread (no thread
        // waits per request), so this bounds only how many requests are being read at once
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(32, 2 * (options.maxBatch() + options.maxQueue()) + 16));
        pool.setName("tttv2-http");
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(options.host());
        connector.setPort(options.port());
        // a non-streaming answer of a large model may take minutes without a byte on the wire
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);
        ApiHandler handler = new ApiHandler(model, scheduler, metrics, options.maxBodyBytes(), options.apiKey());
        server.setHandler(handler);
        server.setStopTimeout(options.shutdownGrace().toMillis());
        scheduler.start();
        try {
            server.start();
        } catch (Exception e) {
            try {
                scheduler.shutdown(java.time.Duration.ZERO);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            scheduler.close();
            throw new ServerStartException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        return new OpenAiServer(server, handler, connector, scheduler, options);
    }

    /** The port bound (the one chosen when the options asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Stops accepting connections, lets running and queued requests finish within the grace period, cancels
     * what is left (streams end with an error event, waiting requests get 503), then stops Jetty.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            connector.close();                         // no new connections
            scheduler.shutdown(options.shutdownGrace());
            long drained = System.currentTimeMillis() + DRAIN_MILLIS;
            while (handler.active() > 0 && System.currentTimeMillis() < drained) {
                Thread.sleep(10);                      // handlers have their final events: let them write
            }
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the server: " + e.getMessage(), e);
        } finally {
            scheduler.close();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

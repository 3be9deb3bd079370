package io.tttv2.integration.serving.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tttv2.integration.serving.scheduler.SchedulerObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, in a registry of its own: the scheduler's state read at scrape time
 * (queue, running sequences, KV blocks), token counters and latency histograms fed by the step thread, and
 * request outcomes by HTTP status fed by the handlers.
 */
public final class ServingMetrics implements SchedulerObserver {

    /** Bounds in seconds: a tiny model on a loaded CPU answers in milliseconds, a large one in seconds. */
    private static final double[] LATENCY_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter promptTokens;
    private final Counter generationTokens;
    private final Counter preemptions;
    private final Counter requests;
    private final Counter pausedSteps;
    private final Histogram timeToFirstToken;
    private final Histogram interTokenLatency;

    /**
     * @param waiting    requests queued for admission
     * @param running    sequences admitted (being prefilled or decoded)
     * @param blocksUsed KV blocks held by sequences
     * @param blocksFree KV blocks free
     */
    public ServingMetrics(IntSupplier waiting, IntSupplier running, IntSupplier blocksUsed, IntSupplier blocksFree) {
        gauge("tttv2_queue_length", "Requests waiting for admission.", waiting);
        gauge("tttv2_running_sequences", "Sequences being prefilled or decoded.", running);
        gauge("tttv2_kv_blocks_used", "KV cache blocks held by sequences.", blocksUsed);
        gauge("tttv2_kv_blocks_free", "KV cache blocks free.", blocksFree);
        promptTokens = Counter.builder().name("tttv2_prompt_tokens")
                .help("Prompt tokens fed through the model (a prompt recomputed after preemption counts again).").register(registry);
        generationTokens = Counter.builder().name("tttv2_generation_tokens").help("Tokens generated.").register(registry);
        preemptions = Counter.builder().name("tttv2_preemptions").help("Sequences preempted for lack of KV blocks.").register(registry);
        pausedSteps = Counter.builder().name("tttv2_paused_steps")
                .help("Steps that fed nothing because the model's assembly could not be met (a hot-swap under way).").register(registry);
        requests = Counter.builder().name("tttv2_requests").help("Requests answered, by HTTP status.")
                .labelNames("status").register(registry);
        timeToFirstToken = Histogram.builder().name("tttv2_time_to_first_token_seconds")
                .help("From a request's arrival at the scheduler to its first token.")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
        interTokenLatency = Histogram.builder().name("tttv2_inter_token_latency_seconds")
                .help("Between consecutive tokens of one request.")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
    }

    private void gauge(String name, String help, IntSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsInt())).register(registry);
    }

    /** The content type of {@link #write}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in Prometheus' text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** A request was answered with {@code status}. */
    public void answered(int status) {
        requests.labelValues(Integer.toString(status)).inc();
    }

    @Override
    public void prefilled(int tokens) {
        promptTokens.inc(tokens);
    }

    @Override
    public void token(boolean first, long sinceLastNanos) {
        generationTokens.inc();
        (first ? timeToFirstToken : interTokenLatency).observe(sinceLastNanos / 1e9);
    }

    @Override
    public void paused() {
        pausedSteps.inc();
    }

    @Override
    public void preempted() {
        preemptions.inc();
    }
}

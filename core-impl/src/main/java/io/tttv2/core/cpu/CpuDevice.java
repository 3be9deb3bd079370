package io.tttv2.core.cpu;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.core.cpu.kv.CpuPagedKvCache;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The default device: ops run on this JVM's CPU cores with the Vector API, split over a fixed set of
 * worker threads; KV caches live in off-heap memory. As a Declarative Services component it is configured
 * by PID {@code io.tttv2.core.cpu.CpuDevice} (property {@code workers}); a configuration change restarts it
 * with a new pool.
 */
@Component(service = Device.class, property = {
        Device.NAME + "=cpu",
        "tttv2.candidate.name=tttv2/device/cpu",
        "tttv2.candidate.version=1.0.0",
        "tttv2.candidate.tier=core"})
@Designate(ocd = CpuDevice.Config.class)
public final class CpuDevice implements Device, AutoCloseable {

    @ObjectClassDefinition(name = "TTTv2 CPU device", description = "Runs the op library on the CPU.")
    public @interface Config {
        @AttributeDefinition(description = "Threads that run one op, the calling thread included; "
                + "0 means one per available processor.")
        int workers() default 0;
    }

    /**
     * System property: {@code true} starts a {@link KernelWarmUp} when the device is
     * activated, to compile the kernels before a fresh process's first prompt needs them. Off by default,
     * in the launcher too: on the measured machine it did not bring the first token forward
     * (docs/loading.md); an experiment sets it with {@code TTTV2_JAVA_OPTS=-Dtttv2.cpu.warmup=true}.
     */
    public static final String WARM_UP_PROPERTY = "tttv2.cpu.warmup";

    private final WorkerPool pool;
    private final CpuOps ops;
    private KernelWarmUp warmUp;

    /** A device running ops on {@code workers} threads (the caller and {@code workers - 1} pool threads). */
    public CpuDevice(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("CPU device: workers must be ≥ 1, found " + workers);
        }
        this.pool = new WorkerPool(workers, "tttv2-cpu");
        this.ops = new CpuOps(pool);
    }

    @Activate
    public CpuDevice(Config config) {
        this(config.workers() > 0 ? config.workers() : Runtime.getRuntime().availableProcessors());
        if (Boolean.getBoolean(WARM_UP_PROPERTY)) {
            startWarmUp(KernelWarmUp.DEFAULT_ROUNDS);
        }
    }

    /**
     * Starts compiling the kernels on a background thread, which ends after {@code rounds} rounds or when
     * this device runs its first matmul, whichever comes first.
     */
    Thread startWarmUp(int rounds) {
        warmUp = new KernelWarmUp(ops::matmulRun, rounds);
        return warmUp.start();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int parallelism() {
        return pool.parallelism();
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public PagedKvCache allocateKvCache(KvCacheSpec spec) {
        return new CpuPagedKvCache(spec);
    }

    /** Stops the worker threads. */
    @Deactivate
    @Override
    public void close() {
        if (warmUp != null) {
            warmUp.stop();
        }
        pool.close();
    }

    @Override
    public String toString() {
        return "CpuDevice[" + pool.parallelism() + " workers]";
    }
}

package io.tttv2.integration.spark;

import io.tttv2.launcher.EmbeddedHost;
import io.tttv2.launcher.HostStartException;
import io.tttv2.launcher.spi.HostBatchJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * The one embedded host of this JVM (a Spark executor, or the driver in local mode): started by the first task
 * that needs it, shared by every later task and partition, whatever their TaskContext, and stopped — its models
 * released — when the JVM ends.
 */
final class ExecutorHost {

    /** How long the batch-jobs service may take to appear after the bundles start. */
    private static final long SERVICE_WAIT_MILLIS = 30_000;

    private static EmbeddedHost host;
    private static Path hostHome;
    private static HostBatchJobs jobs;

    private ExecutorHost() {
    }

    /** The batch-jobs service of this JVM's host over the distribution in {@code home} (as {@link ModelRef} resolves it). */
    static synchronized HostBatchJobs jobs(String home) {
        Path resolved = resolve(home);
        if (jobs != null) {
            if (!resolved.equals(hostHome)) {
                throw new IllegalStateException("tttv2: this JVM already runs the distribution in " + hostHome
                        + "; one executor runs one distribution, not also " + resolved);
            }
            return jobs;
        }
        if (!Files.isDirectory(resolved.resolve("bundles"))) {
            throw new IllegalStateException("tttv2: " + resolved + ": not a TTTv2 distribution (no bundles/ folder) on "
                    + hostName() + "; ship it (--archives tttv2.tgz#tttv2) or set " + ModelRef.HOME_CONF);
        }
        try {
            EmbeddedHost started = EmbeddedHost.start(resolved);
            jobs = started.service(HostBatchJobs.class, SERVICE_WAIT_MILLIS, "is the io.tttv2.launcher.commands bundle in "
                    + resolved.resolve("bundles") + "?");
            host = started;
            hostHome = resolved;
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorHost::stop, "tttv2-host-stop"));
            return jobs;
        } catch (HostStartException e) {
            throw new IllegalStateException("tttv2: the host did not start on " + hostName() + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void stop() {
        if (host != null) {
            host.close();
            host = null;
            jobs = null;
        }
    }

    /**
     * {@code path} as this JVM reads it: absolute as given; relative, from the working folder (where Spark unpacks
     * {@code --archives}), else from the folder of files Spark shipped to this executor.
     */
    static Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        Path local = p.toAbsolutePath().normalize();
        if (Files.exists(local)) {
            return local;
        }
        try {
            Path shipped = Path.of(SparkFiles.getRootDirectory()).resolve(p).normalize();
            if (Files.exists(shipped)) {
                return shipped;
            }
        } catch (RuntimeException e) {
            // no SparkContext in this JVM: only the working folder counts
        }
        return local;
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "this executor";
        }
    }
}

package io.tttv2.integration.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on loopback: a master and workers, each a separate JVM started from the Spark jars
 * on the test's class path. Workers launch executors the way a real cluster does: from a Spark home whose
 * {@code jars/} links those jars, with the test's classes on {@code spark.executor.extraClassPath}.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    final Path dir;
    final Path sparkHome;
    final String classDirs;
    final int masterPort;
    final int masterUiPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    StandaloneCluster(Path dir, int workerCount) throws Exception {
        this.dir = dir;
        this.sparkHome = dir.resolve("spark-home");
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        List<String> dirs = new ArrayList<>();
        for (String entry : classPath()) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                dirs.add(p.toString());
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        this.classDirs = String.join(File.pathSeparator, dirs);
        this.masterPort = freePort();
        this.masterUiPort = freePort();
        this.master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort)));
        for (int i = 0; i < workerCount; i++) {
            Path work = Files.createDirectories(dir.resolve("work-" + i));
            workers.add(start("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", work.toString(), masterUrl())));
        }
        awaitWorkers(workerCount);
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Worker {@code i}'s process. */
    Process worker(int i) {
        return workers.get(i);
    }

    /** Kills worker {@code i} and the executor it launched, as a machine that goes away. */
    void kill(int i) {
        Process w = workers.get(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    /** The worker whose executor (a child process) runs with {@code --executor-id id}, if any. */
    Optional<Integer> workerOfExecutor(String executorId) {
        for (int i = 0; i < workers.size(); i++) {
            boolean runs = workers.get(i).descendants().anyMatch(p -> p.info().arguments()
                    .map(args -> String.join(" ", args).contains("--executor-id " + executorId)).orElse(false));
            if (runs) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private Process start(String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("spark.jvm.args", "").split(" ")));
        // master and workers only pass messages: a small heap, no optimising compiler (the machine is shared)
        command.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.add("-cp");
        command.add(sparkHome.resolve("jars") + File.separator + "*");
        command.addAll(mainAndArgs);
        command.removeIf(String::isBlank);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitWorkers(int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark master exited: " + Files.readString(dir.resolve("master.log")));
            }
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = alive.matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) >= count) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the cluster did not come up within " + START_TIMEOUT.toSeconds() + " s: " + last
                + "; logs in " + dir);
    }

    private static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
    }
}

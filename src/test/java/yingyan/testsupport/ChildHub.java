package yingyan.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A whole hub in a JVM of its own ({@code java -cp <this test's classpath> yingyan.YingyanHub}, profile
 * {@code test}), so that a test can kill it as a crash would: {@link #kill()} is SIGKILL, with no shutdown
 * hook, no flush and no broker close. The database and the embedded broker's journal live outside the
 * process (a PostgreSQL database, a directory), so a second ChildHub on the same settings is the hub
 * restarted after the crash. Its output goes to {@code <dir>/hub-<n>.log}.
 */
public final class ChildHub implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ChildHub(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The child JVM's options: small and quick to start (the machine is shared; the hub here moves thousands). */
    public static final List<String> SMALL_JVM = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * Starts a hub with these properties (as command-line arguments: they win over conf/ and the test
     * profile) and waits until it answers HTTP. {@code dir} holds its log.
     */
    public static ChildHub start(Path dir, Map<String, Object> properties) throws IOException {
        return launch(dir, SMALL_JVM, properties).awaitUp();
    }

    /**
     * Starts several hubs at once (each JVM starting while the others do: on a fresh database one of them
     * migrates it while the others wait for Flyway's lock) and returns them once every one answers HTTP, in
     * the order given. If one does not come up, all are killed.
     */
    public static List<ChildHub> startAll(Path dir, List<String> jvmOptions, List<Map<String, Object>> each)
            throws IOException {
        List<ChildHub> hubs = new ArrayList<>();
        try {
            for (Map<String, Object> properties : each) {
                hubs.add(launch(dir, jvmOptions, properties));
            }
            for (ChildHub hub : hubs) {
                hub.awaitUp();
            }
            return hubs;
        } catch (IOException | RuntimeException e) {
            hubs.forEach(ChildHub::kill);
            throw e;
        }
    }

    /** Starts the hub's JVM with these options and returns at once (see {@link #awaitUp()}). */
    public static ChildHub launch(Path dir, List<String> jvmOptions, Map<String, Object> properties)
            throws IOException {
        Files.createDirectories(dir);
        int port = freePort();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.profiles.active", "test");
        p.put("server.port", port);
        p.putAll(properties);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dfile.encoding=UTF-8", "-cp", classPath(), "yingyan.YingyanHub"));
        p.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        int n = 1;
        while (Files.exists(dir.resolve("hub-" + n + ".log"))) {
            n++;
        }
        Path log = dir.resolve("hub-" + n + ".log");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        // Never outlive the test JVM, whatever ends it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new ChildHub(process, port, log);
    }

    /** Waits until the hub answers HTTP (at most 150 s); kills it and fails with its log if it does not. */
    public ChildHub awaitUp() {
        try {
            Awaitility.await(log.getFileName() + " answering on port " + port).atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the hub exited with " + process.exitValue() + ":\n"
                                    + logTail(60));
                        }
                        return status("/actuator/health") > 0;
                    });
        } catch (RuntimeException e) {
            kill();
            throw new IllegalStateException("the hub did not come up: " + e.getMessage() + "\n" + logTail(60), e);
        }
        return this;
    }

    /**
     * The settings every kill test's hub starts from: this PostgreSQL database (user as {@link Services#pgUser()})
     * and a persistent embedded broker journal in {@code artemisDir}, both outliving the process, so a second
     * hub on the same settings is the first one restarted after its crash. The test adds its sources.
     */
    public static Map<String, Object> onPostgres(String url, Path artemisDir) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", url);
        p.put("spring.datasource.username", Services.pgUser());
        p.put("spring.datasource.password", "");
        p.put("spring.artemis.embedded.persistent", "true");
        p.put("spring.artemis.embedded.data-directory", artemisDir);
        return p;
    }

    /** A fresh folder for the logs of a test's hubs, under target/ so that they outlive the test. */
    public static Path logDir(Class<?> test) throws IOException {
        return Files.createDirectories(Path.of("target", "fault-logs", test.getSimpleName() + "-"
                + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HHmmss"))));
    }

    /**
     * The classpath this test runs with (failsafe/surefire put the real one in surefire.test.class.path),
     * without empty entries: an empty entry is the working directory, whose routes/ would load twice.
     */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return java.util.Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(e -> !e.isBlank())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** CPU time the hub's JVM has used so far (zero once it is gone). */
    public Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9: the process ends on the spot, whatever it was doing. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the hub did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    /** HTTP status of a GET as the test profile's viewer, 0 if nothing answered. */
    public int status(String path) {
        try {
            return Viewer.get(baseUrl(), path).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last lines of the hub's output, for a failure message. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    /** Waits for a condition, showing the hub's log if it does not come (or the hub died meanwhile). */
    public void await(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        await(what, atMost, condition, Duration.ofMillis(100));
    }

    /** {@link #await(String, Duration, java.util.concurrent.Callable)}, asking every {@code poll}. */
    public void await(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition, Duration poll) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(poll).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the hub died");
                }
                return condition.call();
            });
        } catch (ConditionTimeoutException | IllegalStateException e) {
            throw new AssertionError(what + ": " + e.getMessage() + "\n--- hub log ---\n" + logTail(80), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

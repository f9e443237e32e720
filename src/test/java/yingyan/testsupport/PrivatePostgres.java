package yingyan.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the test's own (Debian's pg_createcluster, trust authentication, a free port,
 * its data directory under target/), so that a test can stop it the hard way
 * ({@code pg_ctlcluster … stop -m immediate}: every backend killed, no checkpoint, as a crash) and start
 * it again. The shared cluster on 5432 is never touched. Dropped on close.
 * <p>
 * Needs pg_createcluster and root (the tests here run as root, which pg_createcluster needs to hand the
 * data directory to the postgres user); without them the test is skipped, or fails when
 * YINGYAN_REQUIRE_SERVICES=true.
 */
public final class PrivatePostgres implements AutoCloseable {
    private static final Path CREATE = Path.of("/usr/bin/pg_createcluster");

    private final String version;
    private final String name;
    private final int port;

    private PrivatePostgres(String version, String name, int port) {
        this.version = version;
        this.name = name;
        this.port = port;
    }

    /** Creates and starts a cluster with its data directory under {@code target/fault-pg/}. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isExecutable(CREATE) || !Files.isDirectory(lib) || !"root".equals(System.getProperty("user.name"))) {
            unavailable("pg_createcluster (postgresql-common) and root are needed for a private PostgreSQL cluster");
        }
        String version;
        try (Stream<Path> versions = Files.list(lib)) {
            version = versions.map(p -> p.getFileName().toString()).filter(v -> v.matches("\\d+"))
                    .max(Comparator.comparingInt(Integer::parseInt)).orElse(null);
        }
        if (version == null) {
            unavailable("no PostgreSQL server under " + lib);
        }
        String name = "yyfault" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // Under target/ (not a 0700 temporary folder): the postgres user must be able to reach it.
        Path data = Files.createDirectories(Path.of("target", "fault-pg")).toAbsolutePath().resolve(name);
        run(List.of(CREATE.toString(), "--quiet", "--start-conf=manual", "-p", Integer.toString(port), "-d",
                data.toString(), version, name, "--", "--auth=trust"));
        PrivatePostgres pg = new PrivatePostgres(version, name, port);
        pg.startAgain();
        return pg;
    }

    /** JDBC URL of a database of this cluster. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public static String user() {
        return "postgres";
    }

    /** Creates a database and returns its JDBC URL. */
    public String createDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres"), user(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return url(database);
    }

    /** Stops the server at once: every connection is cut, nothing is checkpointed (crash recovery at start). */
    public void stopImmediately() throws IOException, InterruptedException {
        run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "stop", "-m", "immediate"));
    }

    /** Starts the server and waits until it takes connections. */
    public void startAgain() throws IOException, InterruptedException {
        run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"));
        Awaitility.await("private PostgreSQL " + name + " taking connections").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    try (Connection c = DriverManager.getConnection(url("postgres"), user(), "")) {
                        return c.isValid(2);
                    }
                });
    }

    /** Stops and drops the cluster (its data directory and its configuration under /etc/postgresql). */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopImmediately();
        } catch (IllegalStateException alreadyStopped) {
            // stopped by the test: nothing to stop
        }
        run(List.of("pg_dropcluster", version, name));
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static void unavailable(String why) {
        if (Services.required()) {
            throw new IllegalStateException(why + " (" + Services.REQUIRE + "=true)");
        }
        Assumptions.abort(why);
    }
}

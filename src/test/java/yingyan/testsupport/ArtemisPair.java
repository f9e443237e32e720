package yingyan.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The production broker set-up of docs/cluster.md: a standalone Artemis primary/backup pair with replication,
 * made from the apache-artemis distribution the build unpacks (target/artemis-dist) and the committed
 * {@code conf/cluster/broker-primary.xml} / {@code broker-backup.xml}, on two free ports of 127.0.0.1, each
 * broker a child process that {@link #killPrimary()} ends with kill -9. The hub logs in as {@link #user()}.
 */
public final class ArtemisPair implements AutoCloseable {
    private static final String USER = "hub";
    private static final String PASSWORD = "hub-pair-it";

    /** How often a backup that ended by itself during one failback is started again before the test fails. */
    private static final int MAX_BACKUP_RESTARTS_PER_FAILBACK = 3;

    private final Broker primary;
    private final Broker backup;
    /** While true (inside {@link #restartPrimary()}), a backup that ends by itself is started again. */
    // volatile: Awaitility evaluates the conditions (and restarts the backup) on a thread of its own
    private volatile boolean failingBack;
    private volatile int restartsThisFailback;
    private volatile int backupRestarts;
    /** Where the backup's log stood at its last (re)start in a failback: its AMQ221031 comes after it. */
    private volatile long backupMark;

    private ArtemisPair(Broker primary, Broker backup) {
        this.primary = primary;
        this.backup = backup;
    }

    /** Creates the two instances under {@code dir} (nothing started yet). */
    public static ArtemisPair create(Path dir) throws IOException, InterruptedException {
        String home = StandaloneArtemis.home();
        int primaryPort = StandaloneArtemis.freePort();
        int backupPort = StandaloneArtemis.freePort();
        Broker primary = Broker.create(home, dir, "primary", primaryPort, backupPort);
        Broker backup = Broker.create(home, dir, "backup", primaryPort, backupPort);
        return new ArtemisPair(primary, backup);
    }

    /** Starts the primary, then the backup, and waits until the backup is a synchronized replica. */
    public ArtemisPair start() throws IOException {
        primary.start();
        await("the primary accepting clients", Duration.ofSeconds(90), primary::answers);
        long mark = backup.logSize();
        backup.start();
        await("the backup synchronized with the primary and announced", Duration.ofSeconds(90),
                () -> backup.logSince(mark).contains("AMQ221024") && backup.logSince(mark).contains("AMQ221031"));
        return this;
    }

    /**
     * The hub's broker URL: both brokers, {@code ha=true} so that the client follows the pair's topology to
     * whichever is active, reconnecting forever (also on its first connection).
     */
    public String url() {
        return "(tcp://127.0.0.1:" + primary.port + ",tcp://127.0.0.1:" + backup.port + ")?ha=true"
                + "&reconnectAttempts=-1&initialConnectAttempts=-1&retryInterval=200&retryIntervalMultiplier=1.5"
                + "&maxRetryInterval=2000";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** kill -9 of the primary: returns as soon as its process is gone. */
    public void killPrimary() throws InterruptedException {
        primary.kill();
    }

    /** Waits until the backup accepts clients (it does only once it is the active broker). */
    public void awaitBackupActive() {
        await("the backup active after the primary's kill -9", Duration.ofSeconds(60), backup::answers);
    }

    /**
     * Starts the killed primary again on its journal and waits for the failback: the primary active again,
     * the backup no longer accepting clients and announced again as its synchronized replica. Returns the time
     * from the start to the primary active with the backup stood down.
     */
    public Duration restartPrimary() throws IOException {
        backupMark = backup.logSize();
        restartsThisFailback = 0;
        failingBack = true;
        try {
            long t0 = System.nanoTime();
            primary.start();
            await("the primary active again and the backup stood down (failback)", Duration.ofSeconds(120),
                    () -> primary.answers() && !backup.answers());
            Duration failback = Duration.ofNanos(System.nanoTime() - t0);
            // After a restart of its own JVM the backup syncs afresh (AMQ221024) before it is announced (AMQ221031).
            await("the backup a synchronized replica again", Duration.ofSeconds(120),
                    () -> backup.logSince(backupMark).contains("AMQ221031")
                            && (restartsThisFailback == 0 || backup.logSince(backupMark).contains("AMQ221024")));
            return failback;
        } finally {
            failingBack = false;
        }
    }

    /**
     * How often the backup's process ended by itself during a failback and was started again on its journal, as
     * the service manager of docs/cluster.md does. Artemis 2.40 stops the active backup and starts it again as a
     * replica inside the same JVM; on a loaded machine that restart can be interrupted ("AMQ222232: Unable to
     * acquire lock", the ARTEMIS-2892 family) and the JVM ends with 0. The records are not affected: the primary
     * is active again and the backup re-syncs from it.
     */
    public int backupRestarts() {
        return backupRestarts;
    }

    /** During a failback only: the backup ended by itself; start it on its own journal (the service manager's part). */
    private void restartEndedBackup() throws IOException {
        if (++restartsThisFailback > MAX_BACKUP_RESTARTS_PER_FAILBACK) {
            backup.checkNotExited();
        }
        String tail = backup.endedTail();
        backupRestarts++;
        System.out.println("ArtemisPair: the backup ended by itself during the failback (" + tail
                + "); started again on its journal as the service manager would (restart " + backupRestarts + ")");
        backupMark = backup.logSize();
        backup.start(); // restartPrimary() goes on to wait for its AMQ221024 + AMQ221031 after backupMark
    }

    public boolean primaryActive() {
        return primary.answers();
    }

    public boolean backupActive() {
        return backup.answers();
    }

    @Override
    public void close() throws InterruptedException {
        backup.kill();
        primary.kill();
    }

    private void await(String what, Duration atMost, java.util.concurrent.Callable<Boolean> until) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
                primary.checkNotExited();
                if (failingBack && backup.exited()) {
                    restartEndedBackup();
                }
                backup.checkNotExited();
                return until.call();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + atMost + " (broker logs under the test's folder)", e);
        }
    }


    /** One broker of the pair: an instance directory, its CORE port, its process. */
    private static final class Broker {
        private final Path instance;
        private final int port;
        private Process process;

        private Broker(Path instance, int port) {
            this.instance = instance;
            this.port = port;
        }

        static Broker create(String home, Path dir, String role, int primaryPort, int backupPort)
                throws IOException, InterruptedException {
            Path instance = dir.resolve(role);
            Path createLog = dir.resolve("create-" + role + ".log");
            Process create = new ProcessBuilder(List.of(Path.of(home, "bin", "artemis").toString(), "create",
                    instance.toString(), "--silent", "--require-login", "--user", USER, "--password", PASSWORD,
                    "--host", "127.0.0.1", "--no-amqp-acceptor", "--no-hornetq-acceptor", "--no-mqtt-acceptor",
                    "--no-stomp-acceptor", "--no-web", "--java-memory", "512M"))
                    .redirectErrorStream(true).redirectOutput(createLog.toFile()).start();
            if (!create.waitFor(2, TimeUnit.MINUTES) || create.exitValue() != 0) {
                throw new IllegalStateException("artemis create failed: " + Files.readString(createLog));
            }
            // The committed configuration, filled in as conf/cluster/broker-pair.sh does.
            String xml = Files.readString(Path.of("conf", "cluster", "broker-" + role + ".xml"), StandardCharsets.UTF_8)
                    .replace("@HOST@", "127.0.0.1").replace("@PEER_HOST@", "127.0.0.1")
                    .replace("@PRIMARY_PORT@", Integer.toString(primaryPort))
                    .replace("@BACKUP_PORT@", Integer.toString(backupPort))
                    .replace("@CLUSTER_USER@", "pair").replace("@CLUSTER_PASSWORD@", "pair-it");
            Files.writeString(instance.resolve("etc/broker.xml"), xml, StandardCharsets.UTF_8);
            return new Broker(instance, "primary".equals(role) ? primaryPort : backupPort);
        }

        void start() throws IOException {
            process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(runLog().toFile()))
                    .start();
            Process p = process;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        }

        void kill() throws InterruptedException {
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                process = null;
            }
        }

        /** Whether the process this object started ended by itself (not by {@link #kill()}). */
        boolean exited() {
            return process != null && !process.isAlive();
        }

        /** For the log line: the exit code and the broker's last AMQ2 WARN/ERROR line, if any. */
        String endedTail() {
            String last = logSince(0).lines()
                    .filter(l -> (l.contains(" WARN ") || l.contains(" ERROR ")) && l.contains("AMQ2"))
                    .reduce((a, b) -> b).orElse("none logged");
            return "exit code " + process.exitValue() + ", last warning: " + last.strip();
        }

        /** Fails with the end of the broker's output if its process ended by itself. */
        void checkNotExited() {
            if (process != null && !process.isAlive()) {
                String out = logSince(0);
                throw new IllegalStateException(instance.getFileName() + " exited with " + process.exitValue() + ": "
                        + out.substring(Math.max(0, out.length() - 3000)));
            }
        }

        boolean answers() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        Path runLog() {
            return instance.resolve("run.log");
        }

        long logSize() throws IOException {
            return Files.exists(runLog()) ? Files.size(runLog()) : 0;
        }

        /** What the broker logged after {@code mark} bytes. */
        String logSince(long mark) {
            try {
                byte[] all = Files.readAllBytes(runLog());
                return new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

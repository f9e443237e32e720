package yingyan.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A standalone Artemis broker from the apache-artemis distribution (unpacked by the build into
 * target/artemis-dist), run as a child process with only a CORE acceptor on a port of its own
 * (RabbitMQ and Mosquitto hold the usual ones here). Can be killed and started again on the same journal.
 */
public final class StandaloneArtemis implements AutoCloseable {
    private final Path instance;
    private final int port;
    private Process process;

    private StandaloneArtemis(Path instance, int port) {
        this.instance = instance;
        this.port = port;
    }

    /** Creates a broker instance under {@code dir} (anonymous access, CORE only, 127.0.0.1, a free port). */
    public static StandaloneArtemis create(Path dir) throws IOException, InterruptedException {
        String home = home();
        int port = freePort();
        Path instance = dir.resolve("broker");
        Process create = new ProcessBuilder(List.of(Path.of(home, "bin", "artemis").toString(), "create",
                instance.toString(), "--silent", "--allow-anonymous", "--user", "hub", "--password", "hub-it",
                "--no-amqp-acceptor", "--no-hornetq-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                "--no-web", "--default-port", Integer.toString(port), "--java-memory", "512M"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("create.log").toFile()).start();
        if (!create.waitFor(2, TimeUnit.MINUTES) || create.exitValue() != 0) {
            throw new IllegalStateException("artemis create failed: " + Files.readString(dir.resolve("create.log")));
        }
        Path brokerXml = instance.resolve("etc/broker.xml");
        String xml = Files.readString(brokerXml, StandardCharsets.UTF_8)
                .replaceAll("<acceptor name=\"artemis\">[^<]*</acceptor>",
                        "<acceptor name=\"artemis\">tcp://127.0.0.1:" + port + "?protocols=CORE</acceptor>");
        Files.writeString(brokerXml, xml, StandardCharsets.UTF_8);
        return new StandaloneArtemis(instance, port);
    }

    /** The unpacked distribution (target/artemis-dist): the test is skipped without it, or fails where services are required. */
    static String home() {
        String home = System.getProperty("yingyan.artemis.home");
        if (home == null || !Files.isExecutable(Path.of(home, "bin", "artemis"))) {
            String why = "the Artemis distribution is not unpacked (run through `mvn verify`, which unpacks it)";
            if (Services.required()) {
                throw new IllegalStateException(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        return home;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port + "?reconnectAttempts=-1&retryInterval=200&retryIntervalMultiplier=1.5"
                + "&maxRetryInterval=2000";
    }

    /** Starts the broker and waits until its acceptor answers. */
    public StandaloneArtemis start() throws IOException {
        process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.resolve("run.log").toFile()))
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(this::answers);
        return this;
    }

    /** CPU time the broker's processes have used so far (the launcher script and its JVM). */
    public java.time.Duration cpu() {
        if (process == null) {
            return java.time.Duration.ZERO;
        }
        java.time.Duration total = process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
        for (ProcessHandle h : process.descendants().toList()) {
            total = total.plus(h.info().totalCpuDuration().orElse(java.time.Duration.ZERO));
        }
        return total;
    }

    /** The instance's broker.xml, as created (journal type, sync settings). */
    public String brokerXml() throws IOException {
        return Files.readString(instance.resolve("etc/broker.xml"), StandardCharsets.UTF_8);
    }

    /** kill -9: no clean shutdown, the journal is left as a crash leaves it. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

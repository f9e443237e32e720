package yingyan.adapters.procurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.quarantine.QuarantineStore;

/**
 * The SFTP drop box ({@code procurement-source-sftp}) against an embedded SFTP server (Apache MINA SSHD)
 * with a password and a strictly checked host key: an export uploaded the office's way (.tmp, then
 * renamed) is processed like a dropped one and moved to done/ (or failed/) on the server.
 */
@SpringBootTest
@ActiveProfiles("test")
class ProcurementSftpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Characters that would break a plain URI parameter: the route must pass it literally. */
    private static final String PASSWORD = "test-sftp&secret+%2B)x";
    private static SshServer server;
    private static Path root;
    private static Path outbox;

    @DynamicPropertySource
    static void sftpDropBox(DynamicPropertyRegistry r) throws IOException {
        Path work = Files.createTempDirectory("procurement-sftp-test");
        root = Files.createDirectories(work.resolve("server-root"));
        outbox = Files.createDirectories(root.resolve("outbox"));
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(work.resolve("host.key"));
        keys.setAlgorithm("RSA");
        server.setKeyPairProvider(keys);
        server.setPasswordAuthenticator((user, password, session) -> "office".equals(user)
                && PASSWORD.equals(password));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
        KeyPair hostKey = keys.loadKeys(null).iterator().next();
        Path knownHosts = work.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " "
                + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");

        r.add("hub.adapters.procurement.enabled", () -> "true");
        r.add("hub.adapters.procurement.drop-dir", () -> work.resolve("local-drop").toString());
        r.add("hub.adapters.procurement.poll-interval", () -> "200ms");
        r.add("hub.adapters.procurement.sftp-uri", () -> "sftp://office@127.0.0.1:" + server.getPort() + "/outbox");
        r.add("hub.adapters.procurement.sftp-password", () -> PASSWORD);
        r.add("hub.adapters.procurement.sftp-known-hosts-file", knownHosts::toString);
        r.add("hub.adapters.procurement.sftp-work-dir", () -> work.resolve("sftp-work").toString());
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.stop(true);
        }
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    QuarantineStore quarantine;

    @Test
    void anExportUploadedToTheDropBoxIsProcessedAndMovedOnTheServer() throws IOException {
        upload("cgjg_2026031114.csv", fixture("basic"));
        upload("cgjg_2026031115.csv", fixture("wrong-header"));

        await().atMost(WAIT).until(() -> count("GMCG-2026-0006") == 1 && count("SGCG-2026-0001") == 1);
        await().atMost(WAIT).until(() -> remote("done", "cgjg_2026031114.") == 1
                && remote("failed", "cgjg_2026031115.") == 1);
        assertThat(outbox.resolve("cgjg_2026031114.csv")).doesNotExist();
        assertThat(versions("GMCG-2026-0006")).isEqualTo(1);
        assertThat(quarantine.list("procurement", null, null, 100)).anySatisfy(e -> {
            assertThat(e.origin()).isEqualTo("cgjg_2026031115.csv line 1");
            assertThat(e.field()).isEqualTo("(header)");
        });
        assertThat(jdbc.queryForObject("SELECT queued FROM processed_file WHERE file_name = ?", Long.class,
                "cgjg_2026031114.csv")).isEqualTo(6L);

        // The same content uploaded again is recognised by name + size + hash and only moved.
        upload("cgjg_2026031114.csv", fixture("basic"));
        await().atMost(WAIT).until(() -> remote("done", "cgjg_2026031114.") == 2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE file_name = ?", Integer.class,
                "cgjg_2026031114.csv")).isEqualTo(1);
    }

    @Test
    void aSymbolicLinkInTheDropBoxIsRefusedUnreadAndTheExportNextToItGoesThrough() throws IOException {
        // An export outside the drop box, reachable from it only through the link.
        Path outside = Files.write(root.resolve("elsewhere.csv"), fixture("basic"));
        Files.createSymbolicLink(outbox.resolve("cgjg_2026032010.csv"), outside);
        try {
            upload("cgjg_2026032011.csv", fixture("bom"));

            await().atMost(WAIT).until(() -> remote("done", "cgjg_2026032011.") == 1);
            await().atMost(WAIT).until(() -> quarantine.list("procurement", null, null, 100).stream()
                    .anyMatch(e -> "cgjg_2026032010.csv".equals(e.origin())));
            assertThat(quarantine.list("procurement", null, null, 100))
                    .filteredOn(e -> "cgjg_2026032010.csv".equals(e.origin())).singleElement()
                    .satisfies(e -> assertThat(e.reason()).contains("symbolic link").contains("refused unread"));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE file_name = ?", Integer.class,
                    "cgjg_2026032010.csv")).as("the link's target was not read").isZero();
            assertThat(Files.isSymbolicLink(outbox.resolve("cgjg_2026032010.csv"))).as("left in place").isTrue();
        } finally {
            Files.deleteIfExists(outbox.resolve("cgjg_2026032010.csv"));
        }
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Path.of("test-data", "procurement", name, "input.csv"));
    }

    /** Written as .tmp in the server's outbox, renamed when complete. */
    private static void upload(String name, byte[] content) throws IOException {
        Path tmp = outbox.resolve(name + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static long remote(String folder, String prefix) throws IOException {
        Path dir = outbox.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    private int count(String key) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id = ?", Integer.class,
                "procurement:" + key);
    }

    private int versions(String key) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = ?", Integer.class,
                "procurement:" + key);
    }
}

package yingyan.adapters.landtransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;

/**
 * The SFTP drop box ({@code land-transfer-sftp-source}) reading real exports from an embedded SFTP server
 * (Apache MINA SSHD) with password login and a strictly checked host key. The bureau's side is played by
 * an SFTP client that uploads each export and then its empty {@code .ok}; the hub polls the server, reads
 * the export through its local work folder, stores the parcels once and moves the file to {@code done/}
 * (or {@code failed/}) on the server. The local drop folder stays empty throughout.
 */
@SpringBootTest
@ActiveProfiles("test")
class LandTransferSftpReadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** URI characters, including ')' which would end a RAW(...) parameter: the route must pass it literally. */
    private static final String PASSWORD = "gtzy&sftp+%2B)secret";
    private static final String BUREAU_PASSWORD = "bureau-uploads";
    private static SshServer server;
    private static SshClient bureau;
    private static Path crgg;
    private static Path workDir;
    private static Path localDrop;

    @DynamicPropertySource
    static void sftpDropBox(DynamicPropertyRegistry r) throws IOException {
        Path work = Files.createTempDirectory("land-transfer-sftp-test");
        Path root = Files.createDirectories(work.resolve("server-root"));
        crgg = Files.createDirectories(root.resolve("crgg"));
        workDir = work.resolve("sftp-work");
        localDrop = work.resolve("local-drop");
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(work.resolve("host.key"));
        keys.setAlgorithm("RSA");
        server.setKeyPairProvider(keys);
        server.setPasswordAuthenticator((user, password, session) -> "hub".equals(user) && PASSWORD.equals(password)
                || "bureau".equals(user) && BUREAU_PASSWORD.equals(password));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
        KeyPair hostKey = keys.loadKeys(null).iterator().next();
        Path knownHosts = work.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " "
                + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        bureau = SshClient.setUpDefaultClient();
        bureau.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        bureau.start();

        r.add("hub.adapters.land-transfer.enabled", () -> "true");
        r.add("hub.adapters.land-transfer.drop-dir", localDrop::toString);
        r.add("hub.adapters.land-transfer.poll-interval", () -> "200ms");
        r.add("hub.adapters.land-transfer.sftp-uri", () -> "sftp://hub@127.0.0.1:" + server.getPort() + "/crgg");
        r.add("hub.adapters.land-transfer.sftp-password", () -> PASSWORD);
        r.add("hub.adapters.land-transfer.sftp-known-hosts-file", knownHosts::toString);
        r.add("hub.adapters.land-transfer.sftp-work-dir", workDir::toString);
    }

    @AfterAll
    static void stop() throws IOException {
        if (bureau != null) {
            bureau.stop();
        }
        if (server != null) {
            server.stop(true);
        }
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    AdapterMonitor monitor;

    @Test
    void anExportAndItsOkUploadedToTheDropBoxAreReadOnceAndMovedToDoneOnTheServer() throws IOException {
        String name = "CRGG_20260311_001.xml";
        byte[] sample = fixture("01-sample-gb18030");
        upload(name, sample, true);

        awaitMoved("done", name);
        await().atMost(WAIT).until(() -> records("SG2026-017", "SG2026-018", "SG2025-231") == 3);
        assertThat(crgg.resolve(name + ".ok")).as("the .ok is consumed with its file").doesNotExist();
        assertThat(crgg.resolve("done").resolve(name)).hasBinaryContent(sample);
        assertThat(body("SG2026-017")).contains("寿光市某某置业有限公司").contains("\"regionCode\":\"370783\"");
        for (String parcel : List.of("SG2026-017", "SG2026-018", "SG2025-231")) {
            assertThat(versions(parcel)).as(parcel).isEqualTo(1);
        }
        assertThat(processedRows(name)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT queued FROM processed_file WHERE file_name = ?", Long.class, name))
                .isEqualTo(3);
        assertThat(localFiles(workDir)).as("the downloaded copy is deleted after reading").isEmpty();
        assertThat(localFiles(localDrop)).as("nothing goes through the local folder").isEmpty();
        long queuedBefore = monitor.state("land-transfer").queuedTotal();
        long duplicatesBefore = duplicates();

        // The bureau uploads the same export again: recognised by name + size + SHA-256, only moved.
        upload(name, sample, true);
        await().atMost(WAIT).until(() -> !Files.exists(crgg.resolve(name)) && !Files.exists(crgg.resolve(name + ".ok")));
        assertThat(crgg.resolve("done").resolve(name)).hasBinaryContent(sample);
        assertThat(processedRows(name)).isEqualTo(1);
        assertThat(monitor.state("land-transfer").queuedTotal()).as("nothing read from the repeat").isEqualTo(queuedBefore);
        assertThat(duplicates()).as("the repeat never reached the store").isEqualTo(duplicatesBefore);
        assertThat(records("SG2026-017", "SG2026-018", "SG2025-231")).isEqualTo(3);
        assertThat(versions("SG2026-017")).isEqualTo(1);
    }

    @Test
    void aFileIsNotReadFromTheDropBoxBeforeItsOkIsUploaded() throws IOException {
        String waiting = "CRGG_20260312_001.xml";
        String ready = "CRGG_20260312_002.xml";
        upload(waiting, fixture("02-utf8-person-and-agreement"), false);
        upload(ready, fixture("03-unknown-elements-and-empty-values"), true);

        // The poll that took 002 listed 001 too (001 was complete before 002 was uploaded) and left it alone.
        awaitMoved("done", ready);
        await().atMost(WAIT).until(() -> records("SG2026-020", "SG2026-021") == 2);
        assertThat(crgg.resolve(waiting)).exists();
        assertThat(records("QZ2026-004", "QZ2026-011", "QZ2025-090")).isZero();
        assertThat(processedRows(waiting)).isZero();

        upload(waiting + ".ok", new byte[0], false);
        awaitMoved("done", waiting);
        await().atMost(WAIT).until(() -> records("QZ2026-004", "QZ2026-011", "QZ2025-090") == 3);
        assertThat(crgg.resolve(waiting + ".ok")).doesNotExist();
        assertThat(processedRows(waiting)).isEqualTo(1);
    }

    @Test
    void aRefusedExportIsQuarantinedAndMovedToFailedOnTheServer() throws IOException {
        String name = "CRGG_20260313_001.xml";
        upload(name, fixture("08-unknown-region"), true);

        awaitMoved("failed", name);
        assertThat(crgg.resolve(name + ".ok")).doesNotExist();
        assertThat(crgg.resolve("done").resolve(name)).doesNotExist();
        assertThat(quarantine.list("land-transfer", QuarantineEntry.OPEN, null, 1000))
                .filteredOn(e -> name.equals(e.origin())).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("LandTransferExport/@region"));
        assertThat(records("XX2026-001")).isZero();
        assertThat(processedRows(name)).isEqualTo(1);
    }

    // --- helpers

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Path.of("test-data", "land-transfer", name, "input.xml"));
    }

    /** As the bureau does it, over SFTP: the export, then (when complete) its empty .ok. */
    private static void upload(String name, byte[] content, boolean withOk) throws IOException {
        try (ClientSession session = bureau.connect("bureau", "127.0.0.1", server.getPort()).verify(10_000).getSession()) {
            session.addPasswordIdentity(BUREAU_PASSWORD);
            session.auth().verify(10_000);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                try (OutputStream out = sftp.write("/crgg/" + name)) {
                    out.write(content);
                }
                if (withOk) {
                    try (OutputStream out = sftp.write("/crgg/" + name + ".ok")) {
                        out.flush();
                    }
                }
            }
        }
    }

    private static void awaitMoved(String folder, String name) {
        await().atMost(WAIT).until(() -> Files.exists(crgg.resolve(folder).resolve(name))
                && !Files.exists(crgg.resolve(name)));
    }

    private static List<Path> localFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private int records(String... parcels) {
        int n = 0;
        for (String p : parcels) {
            n += jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id = ?", Integer.class, "land-transfer:" + p);
        }
        return n;
    }

    private int versions(String parcel) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = ?", Integer.class,
                "land-transfer:" + parcel);
    }

    private String body(String parcel) {
        return jdbc.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class, "land-transfer:" + parcel);
    }

    private int processedRows(String name) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE adapter = 'land-transfer' AND file_name = ?",
                Integer.class, name);
    }

    private long duplicates() {
        List<Long> v = jdbc.queryForList("SELECT duplicates FROM ingest_counter WHERE adapter = 'land-transfer'", Long.class);
        return v.isEmpty() ? 0 : v.get(0);
    }
}

package yingyan.adapters.landtransfer;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
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
 * The adapter in the whole hub (test profile: in-memory database, embedded broker) watching a temporary
 * drop folder: files in as the bureau drops them, records and quarantine entries out, files archived.
 */
@SpringBootTest(properties = {
        "hub.adapters.land-transfer.enabled=true",
        "hub.adapters.land-transfer.poll-interval=200ms"})
@ActiveProfiles("test")
class LandTransferRouteTest {
    static final Path DROP = tempDir();
    static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void dropDir(DynamicPropertyRegistry r) {
        r.add("hub.adapters.land-transfer.drop-dir", DROP::toString);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    AdapterMonitor monitor;

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> all = Files.walk(DROP)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aGb18030ExportArrivesAsRecordsWithItsChineseIntactAndIsArchivedInDone() throws IOException {
        drop("CRGG_20260311_001.xml", Files.readAllBytes(Path.of("test-data/land-transfer/01-sample-gb18030/input.xml")));

        awaitArchived("done", "CRGG_20260311_001.xml");
        await().atMost(WAIT).until(() -> records("SG2026-017", "SG2026-018", "SG2025-231") == 3);
        assertThat(body("SG2026-017")).contains("寿光市某某置业有限公司").contains("国有建设用地使用权出让(挂牌)")
                .contains("\"regionCode\":\"370783\"");
        await().atMost(WAIT).until(() -> !Files.exists(DROP.resolve("CRGG_20260311_001.xml.ok"))); // consumed
        assertThat(jdbc.queryForObject("SELECT queued FROM processed_file WHERE file_name = ?", Long.class,
                "CRGG_20260311_001.xml")).isEqualTo(3);
    }

    @Test
    void aFileIsNotReadBeforeItsOkAppears() throws IOException {
        Files.writeString(DROP.resolve("CRGG_20260312_001.xml"), export("370783", transfer("NOOK-1", "2026-03-11T10:00:00", "100.00")));
        drop("CRGG_20260312_002.xml", export("370783", transfer("NOOK-2", "2026-03-11T10:00:00", "100.00")));

        // The poll that took 002 saw 001 too (001 was there first) and left it alone.
        awaitArchived("done", "CRGG_20260312_002.xml");
        await().atMost(WAIT).until(() -> records("NOOK-2") == 1);
        assertThat(DROP.resolve("CRGG_20260312_001.xml")).exists();
        assertThat(records("NOOK-1")).isZero();
        assertThat(processedRows("CRGG_20260312_001.xml")).isZero();

        Files.createFile(DROP.resolve("CRGG_20260312_001.xml.ok"));
        awaitArchived("done", "CRGG_20260312_001.xml");
        await().atMost(WAIT).until(() -> records("NOOK-1") == 1);
    }

    @Test
    void aReExportWithNewContentIsProcessedButTheSameContentTwiceIsNot() throws IOException {
        String name = "CRGG_20260313_001.xml";
        String first = export("370783", transfer("RE-1", "2026-03-12T10:00:00", "100.00"));
        drop(name, first);
        awaitArchived("done", name);
        await().atMost(WAIT).until(() -> records("RE-1") == 1);
        long queuedBefore = monitor.state("land-transfer").queuedTotal();
        long duplicatesBefore = duplicates();

        drop(name, first); // the same file again, e.g. the bureau's transfer repeated
        await().atMost(WAIT).until(() -> !Files.exists(DROP.resolve(name)) && !Files.exists(DROP.resolve(name + ".ok")));
        assertThat(monitor.state("land-transfer").queuedTotal()).as("nothing read from the repeat").isEqualTo(queuedBefore);
        assertThat(processedRows(name)).isEqualTo(1);

        drop(name, export("370783", transfer("RE-1", "2026-03-13T10:00:00", "120.00")));
        awaitArchived("done", name);
        await().atMost(WAIT).until(() -> versions("RE-1") == 2);
        assertThat(body("RE-1")).contains("\"120.00\"").contains("2026-03-13T10:00:00+08:00");
        assertThat(processedRows(name)).isEqualTo(2);
        assertThat(duplicates()).as("the repeat never reached the store").isEqualTo(duplicatesBefore);
    }

    @Test
    void xxeAndBillionLaughsFilesAreRefusedAndQuarantinedWhileAGoodFileNextToThemGoesThrough() throws IOException {
        WireMockServer http = new WireMockServer(options().dynamicPort());
        http.start();
        try {
            Path secret = Files.writeString(DROP.getParent().resolve("yingyan-secret-" + ProcessHandle.current().pid()),
                    "root:TOP-SECRET-LINE");
            String xxe = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE LandTransferExport [\n"
                    + "  <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                    + "  <!ENTITY web SYSTEM \"" + http.baseUrl() + "/xxe\">\n]>\n"
                    + "<LandTransferExport region=\"370783\">"
                    + transfer("XXE-1", "2026-03-12T10:00:00", "1.00").replace("<Location>", "<Location>&file;&web;")
                    + "</LandTransferExport>\n";
            byte[] laughs = Files.readAllBytes(Path.of("test-data/land-transfer/07-billion-laughs/input.xml"));
            drop("CRGG_20260314_001.xml", xxe);
            drop("CRGG_20260314_002.xml", laughs);
            drop("CRGG_20260314_003.xml", export("370783", transfer("SAFE-1", "2026-03-12T10:00:00", "1.00")));

            awaitArchived("failed", "CRGG_20260314_001.xml");
            awaitArchived("failed", "CRGG_20260314_002.xml");
            awaitArchived("done", "CRGG_20260314_003.xml");
            await().atMost(WAIT).until(() -> records("SAFE-1") == 1);

            for (String name : List.of("CRGG_20260314_001.xml", "CRGG_20260314_002.xml")) {
                List<QuarantineEntry> entries = quarantined(name);
                assertThat(entries).as(name).singleElement().satisfies(e -> {
                    assertThat(e.origin()).isEqualTo(name);
                    assertThat(e.reason()).contains("DOCTYPE/external entity refused");
                    assertThat(e.rawSize()).isPositive().isLessThanOrEqualTo(64 * 1024);
                });
            }
            assertThat(records("XXE-1")).isZero();
            assertThat(http.getAllServeEvents()).as("requests to the external entity's URL").isEmpty();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE body LIKE '%TOP-SECRET%'", Integer.class))
                    .isZero();
            Files.delete(secret);
        } finally {
            http.stop();
        }
    }

    @Test
    void aSymbolicLinkInTheDropFolderIsRefusedUnreadWithItsReasonAndTheFileNextToItGoesThrough() throws IOException {
        // An export outside the drop folder (another department's, or anything the hub's account can read).
        Path outside = Files.writeString(DROP.getParent().resolve("yingyan-outside-" + ProcessHandle.current().pid()
                + ".xml"), export("370783", transfer("OUTSIDE-1", "2026-03-12T10:00:00", "1.00")));
        try {
            Files.createSymbolicLink(DROP.resolve("CRGG_20260317_001.xml"), outside);
            Files.writeString(DROP.resolve("CRGG_20260317_001.xml.ok"), "");
            drop("CRGG_20260317_002.xml", export("370783", transfer("INSIDE-1", "2026-03-12T10:00:00", "1.00")));

            awaitArchived("done", "CRGG_20260317_002.xml");
            await().atMost(WAIT).until(() -> records("INSIDE-1") == 1);
            await().atMost(WAIT).until(() -> !quarantined("CRGG_20260317_001.xml").isEmpty());
            assertThat(quarantined("CRGG_20260317_001.xml")).singleElement().satisfies(e ->
                    assertThat(e.reason()).contains("symbolic link").contains("refused unread"));
            assertThat(records("OUTSIDE-1")).as("the link's target was not read").isZero();
            assertThat(Files.isSymbolicLink(DROP.resolve("CRGG_20260317_001.xml"))).as("left in place").isTrue();
            assertThat(outside).exists();
        } finally {
            Files.deleteIfExists(DROP.resolve("CRGG_20260317_001.xml"));
            Files.deleteIfExists(DROP.resolve("CRGG_20260317_001.xml.ok"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aMalformedTransferIsQuarantinedWithItsLineAndTheGoodOnesAroundItGoThrough() throws IOException {
        drop("CRGG_20260315_001.xml", Files.readAllBytes(Path.of("test-data/land-transfer/04-malformed-transfers/input.xml")));

        awaitArchived("done", "CRGG_20260315_001.xml"); // bad Transfers do not fail the file
        // SG2026-038 was contracted before it was announced: an unusual order, still a record (canonical-model.md).
        await().atMost(WAIT).until(() -> records("SG2026-030", "SG2026-038", "SG2026-039") == 3);
        List<QuarantineEntry> bad = quarantined("CRGG_20260315_001.xml");
        assertThat(bad).extracting(QuarantineEntry::origin).containsExactlyInAnyOrder(
                "CRGG_20260315_001.xml line 11", "CRGG_20260315_001.xml line 18", "CRGG_20260315_001.xml line 26",
                "CRGG_20260315_001.xml line 33", "CRGG_20260315_001.xml line 40", "CRGG_20260315_001.xml line 49",
                "CRGG_20260315_001.xml line 57");
        assertThat(bad).filteredOn(e -> "SG2026-032".equals(e.sourceKey())).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("StartPrice").contains("1000000.005")
                        .contains("more than 2 fraction digits"));
        assertThat(bad).filteredOn(e -> "SG2026-037".equals(e.sourceKey())).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("110105********0023").doesNotContain("110105194912310023"));
        assertThat(records("SG2026-032", "SG2026-037")).isZero();
    }

    @Test
    void aFileThatBreaksHalfwayKeepsTheTransfersBeforeTheBreakAndQuarantinesTheRest() throws IOException {
        drop("CRGG_20260316_001.xml", Files.readAllBytes(Path.of("test-data/land-transfer/05-not-well-formed-tail/input.xml")));

        awaitArchived("failed", "CRGG_20260316_001.xml");
        await().atMost(WAIT).until(() -> records("SG2026-040", "SG2026-041") == 2);
        assertThat(records("SG2026-042", "SG2026-043")).isZero();
        assertThat(quarantined("CRGG_20260316_001.xml")).singleElement().satisfies(e -> {
            assertThat(e.origin()).isEqualTo("CRGG_20260316_001.xml line 17");
            assertThat(e.reason()).contains("not well-formed XML at line 23").contains("from line 17");
            assertThat(e.sourceKey()).isEqualTo("SG2026-042");
        });
        assertThat(new String(quarantine.raw(quarantined("CRGG_20260316_001.xml").get(0).id()).orElseThrow().bytes(),
                StandardCharsets.UTF_8)).startsWith("  <Transfer>\n    <ParcelNo>SG2026-042").contains("SG2026-043");
        assertThat(processedRows("CRGG_20260316_001.xml")).isEqualTo(1);
    }

    // --- helpers

    static String transfer(String parcel, String updatedAt, String dealPrice) {
        return "<Transfer><ParcelNo>" + parcel + "</ParcelNo><Location>寿光市某某路</Location><Method>挂牌</Method>"
                + "<AnnouncedAt>2026-01-15T09:00:00</AnnouncedAt><StartPrice>100.00</StartPrice>"
                + "<DealPrice>" + dealPrice + "</DealPrice><Winner type=\"ORG\" creditCode=\"91350100M000100Y43\">"
                + "寿光市某某置业有限公司</Winner><Status>已成交</Status><UpdatedAt>" + updatedAt + "</UpdatedAt></Transfer>";
    }

    static String export(String region, String... transfers) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LandTransferExport exportedAt=\"2026-03-11T02:00:00\""
                + " region=\"" + region + "\">\n" + String.join("\n", transfers) + "\n</LandTransferExport>\n";
    }

    /** As the bureau drops a file: the file first, then its empty .ok. */
    static void drop(String name, String content) throws IOException {
        drop(name, content.getBytes(StandardCharsets.UTF_8));
    }

    static void drop(String name, byte[] content) throws IOException {
        Files.write(DROP.resolve(name), content);
        Files.write(DROP.resolve(name + ".ok"), new byte[0]);
    }

    static void awaitArchived(String folder, String name) {
        await().atMost(WAIT).until(() -> Files.exists(DROP.resolve(folder).resolve(name))
                && !Files.exists(DROP.resolve(name)));
    }

    int records(String... parcels) {
        int n = 0;
        for (String p : parcels) {
            n += jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id = ?", Integer.class, "land-transfer:" + p);
        }
        return n;
    }

    int versions(String parcel) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = ?", Integer.class,
                "land-transfer:" + parcel);
    }

    String body(String parcel) {
        return jdbc.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class, "land-transfer:" + parcel);
    }

    int processedRows(String name) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE adapter = 'land-transfer' AND file_name = ?",
                Integer.class, name);
    }

    long duplicates() {
        List<Long> v = jdbc.queryForList("SELECT duplicates FROM ingest_counter WHERE adapter = 'land-transfer'", Long.class);
        return v.isEmpty() ? 0 : v.get(0);
    }

    /** Open entries of a file: file-level ones (origin = the file name) and those of a line in it. */
    List<QuarantineEntry> quarantined(String file) {
        return quarantine.list("land-transfer", QuarantineEntry.OPEN, null, 1000).stream()
                .filter(e -> file.equals(e.origin()) || e.origin() != null && e.origin().startsWith(file + " line "))
                .toList();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("land-transfer-drop");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

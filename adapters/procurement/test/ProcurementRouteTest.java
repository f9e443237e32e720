package yingyan.adapters.procurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineService;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;

/**
 * The procurement source route in the full hub (test profile: in-memory database, embedded broker) on a
 * temporary drop folder: exports dropped the office's way (.tmp, then renamed) become records and
 * quarantine entries with file name and physical line, each file is processed once, and a file is moved
 * to done/ or failed/ only once it is processed.
 */
@SpringBootTest
@ActiveProfiles("test")
class ProcurementRouteTest {
    private static final Path DROP;
    private static final Charset GBK = Charset.forName("GBK");
    private static final Duration WAIT = Duration.ofSeconds(30);

    static {
        try {
            DROP = Files.createTempDirectory("procurement-drop");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void dropFolder(DynamicPropertyRegistry r) {
        r.add("hub.adapters.procurement.enabled", () -> "true");
        r.add("hub.adapters.procurement.drop-dir", DROP::toString);
        r.add("hub.adapters.procurement.poll-interval", () -> "100ms");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    QuarantineService release;
    @Autowired
    AdapterMonitor monitor;
    /** The real gateway; made to fail once on demand, as when the broker cannot take a chunk. */
    @MockitoSpyBean
    IngestGateway gateway;
    private final AtomicBoolean failNextSubmit = new AtomicBoolean();

    @BeforeEach
    void gatewayFailsOnlyWhenAsked() {
        org.mockito.Mockito.doAnswer(call -> {
            if (failNextSubmit.getAndSet(false)) {
                throw new IngestGateway.IngestException("the broker is unreachable (test)", null);
            }
            return call.callRealMethod();
        }).when(gateway).submit(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void everyBadRowIsQuarantinedWithItsFileAndPhysicalLineAndTheGoodRowsAreStoredOnce() throws IOException {
        String file = "cgjg_2026031110.csv";
        drop(file, fixture("bad-rows"));
        await().atMost(WAIT).until(() -> movedTo("done", file) == 1);
        await().atMost(WAIT).until(() -> count("SGCG-2026-0114") == 1);

        // Rows 1 (two physical lines: a quoted line break), the formula-like one and the one after the
        // skipped empty line go through, once each.
        for (String key : List.of("SGCG-2026-0101", "SGCG-2026-0112", "SGCG-2026-0114")) {
            assertThat(count(key)).as(key).isEqualTo(1);
            assertThat(versions(key)).as(key).isEqualTo(1);
        }
        assertThat(body("SGCG-2026-0112")).contains("\"name\":\"=SUM(A1:A9)\"");
        // Swallowed by the unbalanced quote of line 18: part of that one quarantined item, not a record.
        assertThat(count("SGCG-2026-0116")).isZero();

        Map<String, QuarantineEntry> byOrigin = quarantine.list("procurement", null, null, 1000).stream()
                .filter(e -> e.origin().startsWith(file + " "))
                .collect(Collectors.toMap(QuarantineEntry::origin, Function.identity()));
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("line 4", List.of("SGCG-2026-0102", "(row)", "'13 fields'", "exactly 14 fields")),
                Map.entry("line 5", List.of("SGCG-2026-0103", "预算金额", "'12,34x.00'", "not an amount in yuan")),
                Map.entry("line 6", List.of("SGCG-2026-0104", "中标金额", "'1200.005'", "3 fraction digits")),
                Map.entry("line 7", List.of("SGCG-2026-0105", "公告日期", "'2026-02-30'", "not an existing date")),
                Map.entry("line 8", List.of("SGCG-2026-0106", "合同签订日期", "'2026/03/15'", "not an existing date")),
                Map.entry("line 9", List.of("SGCG-2026-0107", "采购方式", "'竞价'", "must be one of")),
                Map.entry("line 10", List.of("SGCG-2026-0108", "状态", "'已撤销'", "must be one of")),
                Map.entry("line 11", List.of("SGCG-2026-0109", "供应商信用代码", "'91350100M000100Y44'",
                        "not a valid unified social credit code")),
                Map.entry("line 12", List.of("SGCG-2026-0110", "区划", "'370799'", "unknown GB/T 2260 region code")),
                Map.entry("line 13", List.of("SGCG-2026-0111", "(row)", "'15 fields'", "exactly 14 fields")),
                Map.entry("line 16", List.of("SGCG-2026-0113", "项目名称", "引号后多了文字", "text after the closing quote")),
                Map.entry("line 18", List.of("SGCG-2026-0115", "项目名称", "寿光市未闭合引号的项目",
                        "unbalanced quote")));
        assertThat(byOrigin.keySet()).containsExactlyInAnyOrderElementsOf(
                expected.keySet().stream().map(l -> file + " " + l).toList());
        expected.forEach((line, want) -> {
            QuarantineEntry e = byOrigin.get(file + " " + line);
            assertThat(e.sourceKey()).as(line).isEqualTo(want.get(0));
            assertThat(e.field()).as(line).isEqualTo(want.get(1));
            assertThat(e.reason()).as(line).contains(want.get(1)).contains(want.get(2)).contains(want.get(3));
        });
        assertThat(processedFile(file)).containsEntry("queued", 3L).containsEntry("quarantined", 12L);

        // Release re-maps the stored raw alone: the row is still what it was, so still refused for the same reason.
        QuarantineEntry threeDecimals = byOrigin.get(file + " line 6");
        QuarantineService.ReleaseOutcome again = release.release(threeDecimals.id());
        assertThat(again.state()).isEqualTo("STILL_INVALID");
        assertThat(again.detail()).contains("中标金额").contains("'1200.005'").contains("3 fraction digits");
    }

    @Test
    void aTmpFileIsNotReadUntilRenamedAndAStrayBomIsTolerated() throws IOException {
        String file = "cgjg_2026031111.csv";
        Path tmp = DROP.resolve(file + ".tmp");
        Files.write(tmp, fixture("bom"));
        // A file dropped after the .tmp: once it is processed, a poll has seen the .tmp and left it alone.
        // (It has a wrong header, so it is quarantined whole and moved to failed/.)
        String marker = "cgjg_2026031111-marker.csv";
        drop(marker, fixture("wrong-header"));
        await().atMost(WAIT).until(() -> movedTo("failed", marker) == 1);
        assertThat(quarantine.list("procurement", null, null, 1000)).anySatisfy(e -> {
            assertThat(e.origin()).isEqualTo(marker + " line 1");
            assertThat(e.field()).isEqualTo("(header)");
            assertThat(e.reason()).contains("column 8 is '成交金额' where '中标金额' is expected");
        });
        assertThat(tmp).exists();
        assertThat(processedFile(file)).isEmpty();
        assertThat(count("CYCG-2026-0007")).isZero();

        Files.move(tmp, DROP.resolve(file), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> count("CYCG-2026-0007") == 1 && count("LQCG-2026-0008") == 1);
        await().atMost(WAIT).until(() -> movedTo("done", file) == 1);
        assertThat(body("LQCG-2026-0008")).contains("\"name\":\"+临朐某某服装有限公司\"");

        // A refused file is not "processed": dropped again, it is refused again, never passed as done.
        drop(marker, fixture("wrong-header"));
        await().atMost(WAIT).until(() -> movedTo("failed", marker) == 2);
        assertThat(movedTo("done", marker)).isZero();
        assertThat(quarantine.list("procurement", null, null, 1000)).filteredOn(e -> e.origin().startsWith(marker))
                .singleElement().satisfies(e -> assertThat(e.occurrences()).isEqualTo(2));
    }

    @Test
    void theSameFileDroppedTwiceIsProcessedOnceAndNewContentUnderTheSameNameIsProcessed() throws IOException {
        String file = "cgjg_2026031112.csv";
        byte[] export = fixture("basic");
        drop(file, export);
        await().atMost(WAIT).until(() -> movedTo("done", file) == 1);
        await().atMost(WAIT).until(() -> count("GMCG-2026-0006") == 1);
        long duplicatesBefore = duplicates();

        drop(file, export);
        await().atMost(WAIT).until(() -> movedTo("done", file) == 2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE file_name = ?", Integer.class, file))
                .isEqualTo(1);

        // A re-export under the same name with one row changed (award and change time).
        String changed = new String(export, GBK).replace("\"43,980.00\"", "\"43,880.00\"")
                .replace("2026-03-11 08:00:00", "2026-03-12 08:00:00");
        drop(file, changed.getBytes(GBK));
        await().atMost(WAIT).until(() -> movedTo("done", file) == 3);
        await().atMost(WAIT).until(() -> versions("GMCG-2026-0006") == 2);
        assertThat(body("GMCG-2026-0006")).contains("43880.00");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE file_name = ?", Integer.class, file))
                .isEqualTo(2);
        // The persist queue is FIFO: the new version is applied, so all that was queued before is too.
        // The 5 unchanged rows of the re-export are duplicates; the identical second drop added none.
        assertThat(duplicates() - duplicatesBefore).isEqualTo(5);
        for (String key : List.of("SGCG-2026-0001", "WFCG-2026-0002", "QZCG-2026-0003", "ZCCG-2026-0004",
                "AQCG-2026-0005")) {
            assertThat(versions(key)).as(key).isEqualTo(1);
        }
    }

    @Test
    void aFileWhoseRowsCannotBeQueuedStaysInPlaceAndIsReadAgainOnALaterPoll() throws IOException {
        String file = "cgjg_2026031113.csv";
        String export = ProcurementCsv.HEADER_LINE + "\r\n"
                + "SGCG-2026-0301,寿光市重试项目,SGJYJ,寿光市教育和体育局,370783,询价,\"9,000.00\",,,,2026-03-13,,已公告,"
                + "2026-03-13 09:00:00\r\n";
        failNextSubmit.set(true);
        drop(file, export.getBytes(GBK));
        await().atMost(WAIT).until(() -> count("SGCG-2026-0301") == 1);
        await().atMost(WAIT).until(() -> movedTo("done", file) == 1);
        assertThat(failNextSubmit).isFalse();
        assertThat(monitor.state("procurement").lastError()).contains(file).contains("the broker is unreachable");
        assertThat(movedTo("failed", file)).isZero();
        assertThat(versions("SGCG-2026-0301")).isEqualTo(1);
        assertThat(processedFile(file)).containsEntry("queued", 1L);
    }

    @Test
    void aFifoInTheDropFolderIsRefusedUnreadWithItsReasonAndTheExportNextToItGoesThrough() throws Exception {
        // A FIFO's read waits for a writer: read like an export, it would hold the drop folder for good.
        Path fifo = DROP.resolve("cgjg_2026032001.csv");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try {
            String file = "cgjg_2026032002.csv";
            drop(file, (ProcurementCsv.HEADER_LINE + "\r\n"
                    + "SGCG-2026-0401,寿光市管道项目,SGJYJ,寿光市教育和体育局,370783,询价,\"9,000.00\",,,,2026-03-20,,已公告,"
                    + "2026-03-20 09:00:00\r\n").getBytes(GBK));

            await().atMost(WAIT).until(() -> count("SGCG-2026-0401") == 1);
            await().atMost(WAIT).until(() -> movedTo("done", file) == 1);
            await().atMost(WAIT).until(() -> quarantine.list("procurement", QuarantineEntry.OPEN, null, 100).stream()
                    .anyMatch(e -> "cgjg_2026032001.csv".equals(e.origin())));
            assertThat(quarantine.list("procurement", QuarantineEntry.OPEN, null, 100))
                    .filteredOn(e -> "cgjg_2026032001.csv".equals(e.origin())).singleElement()
                    .satisfies(e -> assertThat(e.reason()).contains("not a regular file").contains("refused unread"));
            assertThat(fifo).as("left in place").exists();
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Path.of("test-data", "procurement", name, "input.csv"));
    }

    /** The office's way: written as .tmp, renamed when complete. */
    private static void drop(String name, byte[] content) throws IOException {
        Path tmp = DROP.resolve(name + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, DROP.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Files of that name moved to done/ or failed/ (they get a time stamp before .csv). */
    private static long movedTo(String folder, String name) throws IOException {
        Path dir = DROP.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        String stem = name.substring(0, name.length() - ".csv".length()) + ".";
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(stem)).count();
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

    private String body(String key) {
        return jdbc.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class, "procurement:" + key);
    }

    private long duplicates() {
        List<Long> v = jdbc.queryForList("SELECT duplicates FROM ingest_counter WHERE adapter = 'procurement'",
                Long.class);
        return v.isEmpty() ? 0 : v.get(0);
    }

    private Map<String, Object> processedFile(String name) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT queued, quarantined FROM processed_file"
                + " WHERE adapter = 'procurement' AND file_name = ?", name);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }
}

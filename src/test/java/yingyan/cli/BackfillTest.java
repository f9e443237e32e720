package yingyan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.audit.AuditLog;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.FakeApprovalsSystem;

/**
 * {@code yingyan backfill} in this JVM against a whole hub: the approvals adapter re-reads its system
 * from a date and recovers a case its polls had passed by, the land-transfer adapter re-reads the exports
 * archived since a time. Re-read records end as counted duplicates, never as second versions; the command
 * shows progress while the hub reads and a summary that matches the database. Sources where a time makes
 * no sense, or that are not reading, are refused with the reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.adapters.approvals.enabled=true",
        "hub.adapters.approvals.api-key=" + BackfillTest.KEY,
        "hub.adapters.approvals.poll-interval=1h",
        "hub.adapters.approvals.page-size=2",
        "hub.adapters.approvals.overlap=90s",
        "hub.adapters.land-transfer.enabled=true",
        "hub.adapters.land-transfer.poll-interval=200ms",
        "hub.adapters.hub-feed.enabled=true",
        "hub.adapters.hub-feed.poll-interval=1h"})
@ActiveProfiles("test")
class BackfillTest {
    static final String KEY = "backfill-test-key";
    static final FakeApprovalsSystem APPROVALS = new FakeApprovalsSystem(KEY);
    static final Path DROP = tempDir();
    static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WatermarkStore watermarks;
    @Autowired
    AuditLog audit;

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry r) {
        r.add("hub.adapters.approvals.base-url", APPROVALS::baseUrl);
        r.add("hub.adapters.land-transfer.drop-dir", DROP::toString);
    }

    static {
        for (int i = 1; i <= 3; i++) {
            APPROVALS.put(new FakeApprovalsSystem.Case("BF-0" + i, "2026-09-01 09:00:0" + i, "在办"));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        APPROVALS.close();
        try (Stream<Path> all = Files.walk(DROP)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void approvalsReReadFromADateRecoverACaseThePollsPassedByAndStoreNothingTwice() {
        // The route's first poll (a second after start) reads the three cases.
        await().atMost(WAIT).until(() -> versions("approvals") == 3);
        assertThat(watermarks.get("approvals")).contains("2026-09-01 09:00:03");
        // A case that reaches the system late, dated before the watermark minus the overlap: no poll finds it.
        APPROVALS.put(new FakeApprovalsSystem.Case("BF-LATE", "2026-09-01 08:00:00", "在办"));
        APPROVALS.delay(300); // a slow system, so the command sees the backfill reading

        CliRun r = CliRun.run("operator-secret", "backfill", "--adapter", "approvals", "--since", "2026-09-01",
                "--poll-interval", "100", "--url", url(), "--user", "operator");
        APPROVALS.delay(0);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Backfill of approvals from 2026-09-01 00:00:00 started.")
                .containsPattern("\\[#*\\.+\\]\\s+\\d+%  read \\d+ \\(queued \\d+, quarantined 0\\).*READING")
                .containsPattern("\\[#{30}\\] 100%  read \\d+ \\(queued \\d+, quarantined 0\\)  at 2026-09-01 09:00:03"
                        + " of .*  DONE");
        // Paging re-reads each full page's last second (adapters/approvals/README.md), so more than four items
        // are read: every one but the late case is a duplicate.
        long queued = number(r, "queued");
        assertThat(queued).isGreaterThanOrEqualTo(4);
        assertThat(number(r, "read")).isEqualTo(queued);
        assertThat(number(r, "applied")).isEqualTo(1);
        assertThat(number(r, "duplicates")).isEqualTo(queued - 1);
        assertThat(number(r, "stale")).isZero();
        assertThat(versions("approvals")).as("the late case added, nothing doubled").isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id = 'approvals:BF-LATE'",
                Integer.class)).isEqualTo(1);
        assertThat(watermarks.get("approvals")).as("caught up again").contains("2026-09-01 09:00:03");
        assertThat(audit.list("operator", "backfill finished", null, 5)).anySatisfy(e -> assertThat(e.outcome())
                .startsWith("DONE: read " + queued + " (queued " + queued + ", quarantined 0); applied 1, duplicates "
                        + (queued - 1) + ", stale 0"));
        assertThat(audit.list("operator", "POST /api/v1/adapters/{adapter}/backfill", null, 5)).anySatisfy(e ->
                assertThat(e.outcome()).startsWith("HTTP 202: backfill of approvals from 2026-09-01T00:00:00+08:00"));
    }

    @Test
    void landTransferReReadsTheExportsArchivedSinceATimeAsDuplicates() throws IOException {
        drop("CRGG_20260311_001.xml", Files.readAllBytes(Path.of("test-data/land-transfer/01-sample-gb18030/input.xml")));
        await().atMost(WAIT).until(() -> Files.exists(DROP.resolve("done/CRGG_20260311_001.xml"))
                && versions("land-transfer") == 3);
        drop("CRGG_20260210_001.xml", Files.readAllBytes(
                Path.of("test-data/land-transfer/02-utf8-person-and-agreement/input.xml")));
        await().atMost(WAIT).until(() -> Files.exists(DROP.resolve("done/CRGG_20260210_001.xml")));
        await().atMost(WAIT).until(() -> versions("land-transfer") > 3);
        int before = versions("land-transfer");
        // Archived two days ago: before the backfill's since, so not read again.
        Files.setLastModifiedTime(DROP.resolve("done/CRGG_20260210_001.xml"),
                FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        String since = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0).toString();

        CliRun r = CliRun.run("operator-secret", "backfill", "--adapter", "land-transfer", "--since", since,
                "--poll-interval", "100", "--url", url(), "--user", "operator");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("files 1/1");
        assertThat(number(r, "read")).isEqualTo(3);
        assertThat(number(r, "queued")).isEqualTo(3);
        assertThat(number(r, "applied")).isZero();
        assertThat(number(r, "duplicates")).isEqualTo(3);
        assertThat(versions("land-transfer")).as("nothing stored twice").isEqualTo(before);
        assertThat(DROP.resolve("done/CRGG_20260311_001.xml")).as("the archive stays").exists();
    }

    @Test
    void aSourceWithoutTimesAnAdapterNotReadingAFutureDateAndAnUnknownAdapterAreRefusedWithTheReason() {
        CliRun feed = backfill("hub-feed", "2026-09-01");
        assertThat(feed.exitCode()).isEqualTo(1);
        assertThat(feed.out()).contains("The hub refused the backfill of hub-feed (400)")
                .contains("cannot be asked for changes since a time");

        CliRun stopped = backfill("housing-fund", "2026-09-01");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.out()).contains("(409)").contains("the housing-fund adapter is not reading")
                .contains("hub.adapters.housing-fund.enabled");

        CliRun future = backfill("approvals", "2999-01-01");
        assertThat(future.exitCode()).isEqualTo(1);
        assertThat(future.out()).contains("(400)").contains("is in the future");

        CliRun garbled = backfill("approvals", "last tuesday");
        assertThat(garbled.out()).contains("(400)").contains("is neither a date (2026-11-01) nor a date-time");

        CliRun unknown = backfill("fisheries", "2026-09-01");
        assertThat(unknown.out()).contains("(404)").contains("no adapter 'fisheries'");

        CliRun viewer = CliRun.run("viewer-secret", "backfill", "--adapter", "approvals", "--since", "2026-09-01",
                "--url", url(), "--user", "viewer");
        assertThat(viewer.exitCode()).isEqualTo(2);
        assertThat(viewer.err()).contains("(403): it needs the role OPERATOR");
    }

    /** A number of the command's summary ({@code   duplicates   6   already stored...}). */
    private static long number(CliRun r, String name) {
        var m = java.util.regex.Pattern.compile("(?m)^  " + name + "\\s+(\\d+)").matcher(r.out());
        assertThat(m.find()).as("%s in %s", name, r).isTrue();
        return Long.parseLong(m.group(1));
    }

    private CliRun backfill(String adapter, String since) {
        return CliRun.run("operator-secret", "backfill", "--adapter", adapter, "--since", since, "--url", url(),
                "--user", "operator");
    }

    private int versions(String adapter) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE adapter = ?", Integer.class, adapter);
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private static void drop(String name, byte[] content) throws IOException {
        Files.write(DROP.resolve(name), content);
        Files.createFile(DROP.resolve(name + ".ok"));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("yingyan-backfill-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

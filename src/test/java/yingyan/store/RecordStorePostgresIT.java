package yingyan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Matter;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.ingest.FixtureMapper;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.IngestGateway;
import yingyan.spi.SourceItem;
import yingyan.testsupport.Services;

/**
 * The version rules, history, quarantine and release on the production database (PostgreSQL, with
 * the same Flyway migrations the quick start runs on H2).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class RecordStorePostgresIT {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = Services.freshPostgresDatabase("yingyan_it");
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", Services::pgUser);
        r.add("spring.datasource.password", () -> "");
    }

    @Autowired
    RecordStore store;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IngestGateway gateway;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    TestRestTemplate http;
    @Autowired
    PlatformTransactionManager txm;

    @Test
    void runsOnPostgres() {
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
    }

    @Test
    void newerWinsLateOlderIsIgnoredDuplicateIsCountedConflictIsCountedAndVisible() {
        String id = "fixture:V-1";
        ApplyOutcome first = store.apply(List.of(rec("V-1", "2026-03-01 10:00:00", "a".repeat(64), Status.OPEN)));
        assertThat(first.applied()).isEqualTo(1);

        ApplyOutcome newer = store.apply(List.of(rec("V-1", "2026-03-02 10:00:00", "b".repeat(64), Status.COMPLETED)));
        assertThat(newer.applied()).isEqualTo(1);

        ApplyOutcome late = store.apply(List.of(rec("V-1", "2026-03-01 12:00:00", "c".repeat(64), Status.REJECTED)));
        assertThat(late.stale()).isEqualTo(1);
        assertThat(late.applied()).isZero();

        ApplyOutcome dup = store.apply(List.of(rec("V-1", "2026-03-02 10:00:00", "b".repeat(64), Status.COMPLETED)));
        assertThat(dup.duplicates()).isEqualTo(1);
        assertThat(dup.applied()).isZero();

        ApplyOutcome conflict = store.apply(List.of(rec("V-1", "2026-03-02 10:00:00", "d".repeat(64), Status.CANCELLED)));
        assertThat(conflict.conflicts()).isEqualTo(1);

        Map<String, Object> current = jdbc.queryForMap("SELECT payload_sha256, body FROM record WHERE record_id = ?", id);
        assertThat(current.get("payload_sha256")).isEqualTo("d".repeat(64));
        assertThat(current.get("body").toString()).contains("CANCELLED");

        List<Map<String, Object>> history = jdbc.queryForList(
                "SELECT payload_sha256, conflict, adapter, source_key, fetched_at, applied_at FROM record_version"
                        + " WHERE record_id = ? ORDER BY seq", id);
        assertThat(history).extracting(m -> m.get("payload_sha256"))
                .containsExactly("a".repeat(64), "b".repeat(64), "d".repeat(64));
        assertThat(history).extracting(m -> m.get("conflict")).containsExactly(false, false, true);
        assertThat(history).allSatisfy(m -> {
            assertThat(m.get("adapter")).isEqualTo("fixture");
            assertThat(m.get("source_key")).isEqualTo("V-1");
            assertThat(m.get("fetched_at")).isNotNull();
            assertThat(m.get("applied_at")).isNotNull();
        });
        Map<String, Object> counters = jdbc.queryForMap("SELECT * FROM ingest_counter WHERE adapter = 'fixture'");
        assertThat(((Number) counters.get("stale")).longValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) counters.get("duplicates")).longValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) counters.get("conflicts")).longValue()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSameSecondCorrectionReadAgainAfterACrashIsNotAppliedAgain() {
        // The export holds A then its correction B with the same UpdatedAt: B wins, as a conflict.
        List<CanonicalRecord> export = List.of(rec("SC-1", "2026-03-01 10:00:00", "a".repeat(64), Status.OPEN),
                rec("SC-1", "2026-03-01 10:00:00", "b".repeat(64), Status.COMPLETED));
        assertThat(store.apply(export)).isEqualTo(new ApplyOutcome(2, 0, 0, 1));
        // The hub dies before the file is marked processed and reads it again: both are duplicates now,
        // in one batch or one by one.
        assertThat(store.apply(export)).isEqualTo(new ApplyOutcome(0, 2, 0, 0));
        assertThat(store.apply(export.subList(0, 1))).isEqualTo(new ApplyOutcome(0, 1, 0, 0));
        assertThat(jdbc.queryForList("SELECT payload_sha256 FROM record_version WHERE record_id = 'fixture:SC-1'"
                + " ORDER BY seq", String.class)).containsExactly("a".repeat(64), "b".repeat(64));
        assertThat(jdbc.queryForObject("SELECT payload_sha256 FROM record WHERE record_id = 'fixture:SC-1'",
                String.class)).isEqualTo("b".repeat(64));
        // A third content in that second is still a conflict the later read wins.
        assertThat(store.apply(List.of(rec("SC-1", "2026-03-01 10:00:00", "c".repeat(64), Status.CANCELLED))))
                .isEqualTo(new ApplyOutcome(1, 0, 0, 1));
    }

    @Test
    void versionsOfOneRecordInsideOneBatchApplyInOrder() {
        ApplyOutcome o = store.apply(List.of(
                rec("B-1", "2026-03-01 10:00:00", "1".repeat(64), Status.OPEN),
                rec("B-1", "2026-03-03 10:00:00", "3".repeat(64), Status.COMPLETED),
                rec("B-1", "2026-03-02 10:00:00", "2".repeat(64), Status.OPEN),
                rec("B-1", "2026-03-03 10:00:00", "3".repeat(64), Status.COMPLETED)));
        assertThat(o).isEqualTo(new ApplyOutcome(2, 1, 1, 0));
        assertThat(jdbc.queryForObject("SELECT payload_sha256 FROM record WHERE record_id = 'fixture:B-1'",
                String.class)).isEqualTo("3".repeat(64));
    }

    @Test
    void concurrentBatchesWithVersionsOfTheSameRecordsEndAtTheNewest() throws Exception {
        store.apply(List.of(rec("C-1", "2026-03-01 10:00:00", "0".repeat(64), Status.OPEN),
                rec("C-2", "2026-03-01 10:00:00", "0".repeat(64), Status.OPEN)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<ApplyOutcome>> work = new java.util.ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                String t = String.format("2026-03-01 11:00:%02d", i);
                String h = Integer.toHexString(i).repeat(64);
                work.add(() -> store.apply(List.of(rec("C-1", t, h, Status.OPEN), rec("C-2", t, h, Status.OPEN))));
            }
            for (Future<ApplyOutcome> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (String id : List.of("fixture:C-1", "fixture:C-2")) {
            OffsetDateTime newest = jdbc.queryForObject("SELECT updated_at FROM record WHERE record_id = ?",
                    OffsetDateTime.class, id);
            assertThat(newest.toInstant()).isEqualTo(CanonicalTime.parseSource("2026-03-01 11:00:08").toInstant());
        }
    }

    /**
     * Two persists (two nodes' consumers) store the same new record at once: both read it absent, one writes it
     * first, the other then finds it stored and applies its version under the version rules (here: the same
     * version, a duplicate) instead of failing on the record's key and going back to the broker.
     */
    @Test
    void twoBatchesStoringTheSameNewRecordAtOnceBothSucceed() throws Exception {
        CanonicalRecord r = rec("N-1", "2026-03-01 10:00:00", "e".repeat(64), Status.OPEN);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<ApplyOutcome> second = new TransactionTemplate(txm).execute(s -> {
                // This transaction holds the writers' lock (feed_lock): the other batch reads the record absent,
                // decides to insert it, and waits for the lock until this transaction has stored it.
                jdbc.update("UPDATE feed_lock SET writes = writes WHERE id = 1");
                Future<ApplyOutcome> f = other.submit(() -> store.apply(List.of(r)));
                await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM"
                        + " pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        + " AND query LIKE 'UPDATE feed_lock%'", Integer.class) == 1);
                assertThat(store.apply(List.of(r))).isEqualTo(new ApplyOutcome(1, 0, 0, 0));
                return f;
            });
            assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new ApplyOutcome(0, 1, 0, 0));
        } finally {
            other.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = 'fixture:N-1'",
                Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT payload_sha256 FROM record WHERE record_id = 'fixture:N-1'",
                String.class)).isEqualTo("e".repeat(64));
    }

    @Test
    void quarantinedItemIsStoredEncryptedAndReleasedAfterTheFix() {
        byte[] raw = "{\"key\":\"Q-9\",\"updatedAt\":\"2026-03-01 10:00:00\",\"state\":\"PENDING\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        gateway.submit(List.of(SourceItem.utf8("fixture", "Q-9", raw, "row Q-9", OffsetDateTime.now())));
        QuarantineEntry e = quarantine.list("fixture", "OPEN", null, 100).stream()
                .filter(q -> "Q-9".equals(q.sourceKey())).findFirst().orElseThrow();
        assertThat(e.reason()).contains("state").contains("PENDING").contains("unknown state");
        byte[] stored = jdbc.queryForObject("SELECT raw_encrypted FROM quarantine WHERE id = ?", byte[].class, e.id());
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Q-9");

        FixtureMapper.pendingKnown = true;
        try {
            ResponseEntity<Map> r = http.withBasicAuth("operator", "operator-secret")
                    .postForEntity("/api/v1/quarantine/" + e.id() + "/release", null, Map.class);
            assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
        } finally {
            FixtureMapper.pendingKnown = false;
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id = 'fixture:Q-9'", Integer.class) == 1);
        assertThat(quarantine.find(e.id()).orElseThrow().state()).isEqualTo(QuarantineEntry.RELEASED);
    }

    private static CanonicalRecord rec(String key, String updatedAt, String hash, Status status) {
        var at = CanonicalTime.parseSource(updatedAt);
        return CanonicalRecord.builder()
                .domain(Domain.APPROVAL).regionCode("370700")
                .department(new Department("FIXTURE", "测试部门", false))
                .matter(new Matter("M-1", "测试事项"))
                .status(status)
                .step(yingyan.canonical.Step.RECEIVED, at, null)
                .source(new SourceLineage("fixture", key, at, OffsetDateTime.now(CanonicalTime.BEIJING), hash))
                .build();
    }
}

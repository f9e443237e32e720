package yingyan.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.config.HubProperties;
import yingyan.spi.Payloads;

/**
 * A quarantine database migrated as the hub migrates it, and two scenarios run on H2 by a *Test and on
 * PostgreSQL by QuarantineStoreRacePostgresIT: {@link #race} (the same bad item quarantined by several
 * consumers at once) and {@link #foldsDuplicatesOnMigration} (V11's fold of duplicates).
 */
final class QuarantineFixtures {
    static final int WRITERS = 8;
    static final int ROUNDS = 15;

    private QuarantineFixtures() {
    }

    /** A pooled data source (one connection per writer) migrated as the hub migrates it. */
    static HikariDataSource migrated(String url, String user, String vendor) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(user);
        ds.setPassword("");
        ds.setMaximumPoolSize(WRITERS + 1);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                .load().migrate();
        return ds;
    }

    static QuarantineStore store(JdbcTemplate jdbc, SimpleMeterRegistry meters) {
        return new QuarantineStore(jdbc, new HubProperties("370700", null, null,
                new HubProperties.Quarantine("race-test-quarantine-key-0123456789", 1, Map.of()), null, null), meters);
    }

    /**
     * The same bad item quarantined by several consumers at once (overlapping polls, a re-export read by two
     * hubs): it must stay one open entry counting every occurrence, and every caller must get that entry's id.
     */
    static void race(HikariDataSource ds) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        QuarantineStore store = store(jdbc, meters);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                byte[] raw = ("{\"caseNo\":\"RACE-" + round + "\"}").getBytes(StandardCharsets.UTF_8);
                String sha = Payloads.sha256(raw);
                CyclicBarrier together = new CyclicBarrier(WRITERS);
                List<Future<Long>> ids = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    ids.add(pool.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        return store.add("approvals", "RACE-" + writer, "page " + writer, "caseNo", "bad " + writer,
                                sha, raw, StandardCharsets.UTF_8);
                    }));
                }
                Set<Long> returned = new HashSet<>();
                for (Future<Long> f : ids) {
                    returned.add(f.get(60, TimeUnit.SECONDS));
                }
                List<Long> open = jdbc.queryForList("SELECT id FROM quarantine WHERE adapter = 'approvals'"
                        + " AND payload_sha256 = ? AND state = 'OPEN'", Long.class, sha);
                assertThat(open).as("round %d: one open entry for one bad item", round).hasSize(1);
                assertThat(returned).as("round %d: every writer was given that entry", round).containsExactly(open.get(0));
                assertThat(store.find(open.get(0)).orElseThrow().occurrences())
                        .as("round %d: every occurrence counted", round).isEqualTo(WRITERS);
                assertThat(store.raw(open.get(0)).orElseThrow().bytes()).isEqualTo(raw);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(meters.counter("yingyan.records.quarantined", "adapter", "approvals").count())
                .as("new entries counted once each").isEqualTo(ROUNDS);

        // A released item read again is a new entry, not an occurrence of the released one.
        long first = jdbc.queryForObject("SELECT MIN(id) FROM quarantine", Long.class);
        store.markReleased(first, "approvals:RACE-0", "released");
        byte[] raw = "{\"caseNo\":\"RACE-0\"}".getBytes(StandardCharsets.UTF_8);
        long again = store.add("approvals", "RACE-0", "page 0", "caseNo", "bad again", Payloads.sha256(raw), raw,
                StandardCharsets.UTF_8);
        assertThat(again).isNotEqualTo(first);
        assertThat(store.find(again).orElseThrow().occurrences()).isEqualTo(1);
        assertThat(store.find(first).orElseThrow().state()).isEqualTo(QuarantineEntry.RELEASED);
    }

    /**
     * Duplicates opened before the unique key (three OPEN copies of one item, stored in the pre-key-id format)
     * are folded by V11 into the oldest, occurrences summed and the newest sighting kept; a released entry is
     * history and stays; the folded entry is readable after a key rotation and is the one counted next time.
     */
    static void foldsDuplicatesOnMigration(HikariDataSource ds, String vendor) throws Exception {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                .target("9").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        byte[] raw = "{\"caseNo\":\"D-1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = QuarantineCipherTest.beforeKeyIds(QuarantineCipherTest.KEY_1, raw);
        OffsetDateTime t = OffsetDateTime.parse("2026-11-01T08:00:00Z");
        String insert = "INSERT INTO quarantine (adapter, source_key, reason, payload_sha256, raw_encrypted,"
                + " raw_charset, raw_size, received_at, last_seen_at, occurrences, state) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
        for (int i = 0; i < 3; i++) {
            jdbc.update(insert, "approvals", "D-1", "bad " + i, Payloads.sha256(raw), sealed, "UTF-8", raw.length, t,
                    t.plusMinutes(i), 2, "OPEN");
        }
        jdbc.update(insert, "approvals", "D-1", "released", Payloads.sha256(raw), sealed, "UTF-8", raw.length, t, t,
                1, "RELEASED");

        Flyway.configure().dataSource(ds).locations("classpath:db/migration", "classpath:db/vendor/" + vendor).load()
                .migrate();

        List<Long> open = jdbc.queryForList("SELECT id FROM quarantine WHERE state = 'OPEN'", Long.class);
        assertThat(open).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT occurrences FROM quarantine WHERE state = 'OPEN'", Integer.class))
                .isEqualTo(6);
        assertThat(jdbc.queryForObject("SELECT last_seen_at FROM quarantine WHERE state = 'OPEN'",
                OffsetDateTime.class)).isEqualTo(t.plusMinutes(2));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM quarantine WHERE state = 'RELEASED'", Integer.class))
                .as("released entries are history, untouched").isEqualTo(1);
        QuarantineStore rotated = new QuarantineStore(jdbc, new HubProperties("370700", null, null,
                new HubProperties.Quarantine(QuarantineCipherTest.KEY_2, 2, Map.of(1, QuarantineCipherTest.KEY_1)),
                null, null), new SimpleMeterRegistry());
        assertThat(rotated.raw(open.get(0)).orElseThrow().bytes()).as("stored before key ids, read after rotation")
                .isEqualTo(raw);
        assertThat(rotated.add("approvals", "D-1", "page", "caseNo", "bad again", Payloads.sha256(raw), raw,
                StandardCharsets.UTF_8)).isEqualTo(open.get(0));
    }
}

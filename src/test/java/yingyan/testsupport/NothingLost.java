package yingyan.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The question every fault test asks after the fault: of the records the departments produced, is each in
 * the municipal database exactly once at its newest version, with each version applied once, the
 * province owed each version exactly once, and (when a province is given) each newest version accepted
 * by the province exactly once? Counts what it finds, prints one {@code FAULT-FIGURES} line (docs/faults.md's
 * table is filled from these), and then asserts that nothing was lost or doubled.
 */
public final class NothingLost {
    private NothingLost() {
    }

    /** What the departments produced for one record: its newest source change time. */
    public record Produced(Instant updatedAt) {
        public static Produced at(OffsetDateTime t) {
            return new Produced(t.toInstant());
        }
    }

    /** The figures of one fault run. */
    public record Figures(String fault, int produced, int stored, int lost, int stale, int unexpected,
                          int duplicatedVersions, int versions, int ledgerMissing, int ledgerUnsettled,
                          int provinceAccepted, int provinceMissing, int provinceDuplicates, int provinceRequests,
                          int provinceBatches) {
        @Override
        public String toString() {
            return "FAULT-FIGURES " + fault + ": produced=" + produced + " stored=" + stored + " lost=" + lost
                    + " older-version=" + stale + " unexpected=" + unexpected + " versions=" + versions
                    + " duplicated-versions=" + duplicatedVersions + " ledger-missing=" + ledgerMissing
                    + (provinceRequests < 0 ? "" : " ledger-unsettled=" + ledgerUnsettled + " province-accepted="
                    + provinceAccepted + " province-missing=" + provinceMissing + " province-duplicates="
                    + provinceDuplicates + " province-requests=" + provinceRequests + " province-batches="
                    + provinceBatches);
        }
    }

    /**
     * Checks the database (and the province, when not null) against what was produced.
     *
     * @param adapters the adapters whose records the test produced (records of others are not looked at)
     */
    public static Figures check(String fault, JdbcTemplate db, List<String> adapters,
                                Map<String, Produced> produced, FakeProvince province) {
        String in = String.join(",", adapters.stream().map(a -> "'" + a + "'").toList());
        Map<String, Instant> stored = new HashMap<>();
        Map<String, String> currentSha = new HashMap<>();
        db.query("SELECT r.record_id, r.updated_at, r.payload_sha256, v.payload_sha256 FROM record r"
                + " LEFT JOIN record_version v ON v.seq = r.version_seq WHERE r.adapter IN (" + in + ")", rs -> {
            stored.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            currentSha.put(rs.getString(1), rs.getString(3));
            assertThat(rs.getString(4)).as("the current row of %s is its newest applied version", rs.getString(1))
                    .isEqualTo(rs.getString(3));
        });
        int lost = 0;
        int stale = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, Produced> e : produced.entrySet()) {
            Instant got = stored.get(e.getKey());
            if (got == null) {
                lost++;
                example(examples, "lost " + e.getKey());
            } else if (!got.equals(e.getValue().updatedAt())) {
                stale++;
                example(examples, e.getKey() + " at " + got + ", newest is " + e.getValue().updatedAt());
            }
        }
        Set<String> unexpected = new HashSet<>(stored.keySet());
        unexpected.removeAll(produced.keySet());
        Integer duplicated = db.queryForObject("SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n"
                + " FROM record_version WHERE adapter IN (" + in + ") GROUP BY record_id, payload_sha256) x", Integer.class);
        Integer versions = db.queryForObject("SELECT COUNT(*) FROM record_version WHERE adapter IN (" + in + ")",
                Integer.class);
        // The ledger: one province_delivery row per applied version (the seq is its key, so "one" = "any").
        Integer ledgerMissing = db.queryForObject("SELECT COUNT(*) FROM record_version v WHERE v.adapter IN (" + in
                + ") AND NOT EXISTS (SELECT 1 FROM province_delivery d WHERE d.seq = v.seq)", Integer.class);
        Integer orphans = db.queryForObject("SELECT COUNT(*) FROM province_delivery d WHERE NOT EXISTS"
                + " (SELECT 1 FROM record_version v WHERE v.seq = d.seq)", Integer.class);
        assertThat(orphans).as("ledger rows without a version").isZero();

        int ledgerUnsettled = 0;
        int provinceAccepted = -1;
        int provinceMissing = 0;
        int provinceDuplicates = 0;
        int requests = -1;
        int batches = -1;
        if (province != null) {
            // The province's own count: a version accepted under two keys is a duplicate; resends of one key are not.
            Map<String, Integer> timesAccepted = new HashMap<>();
            Set<String> acceptedByKey = new HashSet<>();
            for (FakeProvince.Accepted a : province.accepted()) {
                String version = a.recordId() + " " + a.payloadSha256();
                timesAccepted.merge(version, 1, Integer::sum);
                acceptedByKey.add(a.key() + " " + version);
            }
            provinceAccepted = timesAccepted.size();
            provinceDuplicates = timesAccepted.values().stream().mapToInt(n -> n - 1).sum();
            for (Map.Entry<String, String> e : currentSha.entrySet()) {
                if (!timesAccepted.containsKey(e.getKey() + " " + e.getValue())) {
                    provinceMissing++;
                    example(examples, "province never accepted the newest version of " + e.getKey());
                }
            }
            // The hub's ledger says ACCEPTED exactly where the province did, under the batch it did.
            Set<String> ledgerAccepted = new HashSet<>();
            db.query("SELECT d.batch_id, d.record_id, v.payload_sha256 FROM province_delivery d JOIN record_version v"
                    + " ON v.seq = d.seq WHERE d.state = 'ACCEPTED' AND v.adapter IN (" + in + ")", rs -> {
                ledgerAccepted.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            });
            Set<String> notInProvince = new HashSet<>(ledgerAccepted);
            notInProvince.removeAll(acceptedByKey);
            assertThat(notInProvince).as("ledger ACCEPTED but the province has no such version in that batch").isEmpty();
            Set<String> notInLedger = new HashSet<>(acceptedByKey);
            notInLedger.removeAll(ledgerAccepted);
            assertThat(notInLedger).as("accepted by the province but not ACCEPTED in the ledger").isEmpty();
            Integer open = db.queryForObject("SELECT COUNT(*) FROM province_delivery d JOIN record_version v"
                    + " ON v.seq = d.seq WHERE d.state NOT IN ('ACCEPTED', 'SUPERSEDED') AND v.adapter IN (" + in + ")",
                    Integer.class);
            ledgerUnsettled = open == null ? 0 : open;
            requests = province.requests();
            batches = province.batches();
        }
        Figures f = new Figures(fault, produced.size(), stored.size(), lost, stale, unexpected.size(),
                duplicated == null ? 0 : duplicated, versions == null ? 0 : versions,
                ledgerMissing == null ? 0 : ledgerMissing, ledgerUnsettled, provinceAccepted, provinceMissing,
                provinceDuplicates, requests, batches);
        System.out.println(f);
        assertThat(examples).as(f.toString()).isEmpty();
        assertThat(new TreeMap<>(Map.of("lost", lost, "older-version", stale, "unexpected", unexpected.size(),
                "duplicated-versions", f.duplicatedVersions(), "ledger-missing", f.ledgerMissing(),
                "ledger-unsettled", ledgerUnsettled, "province-missing", provinceMissing,
                "province-duplicates", provinceDuplicates)))
                .as(f.toString()).allSatisfy((k, v) -> assertThat(v).as(k).isZero());
        return f;
    }

    /**
     * Waits until every produced record is stored at its newest version and (with a province) nothing is
     * owed to it any more. Returns when that holds or the time is up: the {@link #check} that follows says
     * exactly what is missing, which a bare timeout would not.
     */
    public static void awaitSettled(JdbcTemplate db, Map<String, Produced> produced, FakeProvince province,
                                    java.time.Duration atMost) {
        try {
            org.awaitility.Awaitility.await("settled").atMost(atMost).pollInterval(java.time.Duration.ofMillis(250))
                    .until(() -> newestStored(db, produced) == produced.size() && (province == null
                            || db.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state IN"
                            + " ('PENDING', 'SENDING')", Integer.class) == 0));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("not settled after " + atMost + ": checking what is missing");
        }
    }

    /** How many of the produced records are stored at their newest version: a condition to wait for. */
    public static int newestStored(JdbcTemplate db, Map<String, Produced> produced) {
        int[] n = {0};
        db.query("SELECT record_id, updated_at FROM record", rs -> {
            Produced p = produced.get(rs.getString(1));
            if (p != null && p.updatedAt().equals(rs.getObject(2, OffsetDateTime.class).toInstant())) {
                n[0]++;
            }
        });
        return n[0];
    }

    private static void example(List<String> examples, String s) {
        if (examples.size() < 20) {
            examples.add(s);
        }
    }
}

package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.adapters.landtransfer.LandTransferExports;
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.FaultDb;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.Services;
import yingyan.testsupport.Viewer;

/**
 * The alert engine (issue 12) killed -9 twice, in a child JVM on PostgreSQL with a persistent broker journal:
 * <ol>
 *   <li>between apply and rule evaluation: a land-transfer export is being applied while the follower
 *       (supervision-follow, which follows {@code record.version_seq}) is behind, so versions are applied whose
 *       rules have not run yet;</li>
 *   <li>in the middle of a re-evaluation job: a rule's version is raised (LAND_BELOW_START 1 → 2), the hub
 *       re-evaluates every land-transfer record a page per tick, and dies with the job partly done.</li>
 * </ol>
 * After each restart the alerts are compared with a reference: a copy of the final database whose alert tables
 * are emptied, evaluated from scratch by a hub that is never killed. No alert may be missing, none spurious,
 * no (rule, key) twice, no alert raised twice; and the seeded data's own expectation holds (every signed
 * parcel sold below its start price has its one LAND_BELOW_START alert).
 */
@Tag("fault")
class SupervisionFaultIT {
    private static final String FILE = "CRGG_20260322_001.xml";
    private static final int PARCELS = 600;
    /** A signed parcel (every 5th) whose number is a multiple of this is sold below its start price. */
    private static final int BELOW_EVERY = 15;
    private static final String UNEVALUATED = "SELECT COUNT(*) FROM record r WHERE r.version_seq >"
            + " COALESCE((SELECT position FROM supervision_position WHERE name = 'follow'), 0)";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void killedBetweenApplyAndEvaluationAndMidReevaluationJob_everyAlertRightAndNoneDoubled() throws Exception {
        String url = Services.freshPostgresDatabase("fault_alerts");
        String reference = null;
        try {
            JdbcTemplate db = FaultDb.jdbc(url);
            Path rules = Files.createDirectories(dir.resolve("supervision"));
            Files.copy(Path.of("conf/supervision/rules.yaml"), rules.resolve("rules.yaml"));
            Files.copy(Path.of("conf/supervision/fees.yaml"), rules.resolve("fees.yaml"));
            Path drop = Files.createDirectories(dir.resolve("drop"));
            Path logs = ChildHub.logDir(getClass());
            LandTransferExports export = new LandTransferExports("SV", PARCELS).belowStartEvery(BELOW_EVERY);
            Map<String, Object> props = ChildHub.onPostgres(url, dir.resolve("artemis"));
            props.put("hub.adapters.land-transfer.enabled", "true");
            props.put("hub.adapters.land-transfer.drop-dir", drop);
            props.put("hub.adapters.land-transfer.poll-interval", "200ms");
            props.put("hub.adapters.land-transfer.chunk-size", "50");
            props.put("hub.supervision.alerts.enabled", "true");
            props.put("hub.supervision.rules-dir", rules);
            props.put("hub.supervision.alerts.follow-interval", "1s");
            props.put("hub.supervision.alerts.follow-page", "20");
            props.put("hub.supervision.alerts.job-page", "20");
            props.put("hub.supervision.alerts.job-pages-per-tick", "1");
            props.put("hub.supervision.reload-interval", "1s");

            // 1. kill -9 while versions are applied that the follower has not evaluated yet.
            long unevaluated;
            try (ChildHub first = ChildHub.start(logs, props)) {
                first.await("the rules' first jobs done (over no records)", Duration.ofSeconds(60),
                        () -> FaultDb.count(db, "SELECT COUNT(*) FROM alert_job WHERE state = 'RUNNING'") == 0
                                && FaultDb.count(db, "SELECT COUNT(*) FROM alert_rule_version") > 0);
                export.drop(drop, FILE);
                first.await("records applied ahead of the follower", Duration.ofSeconds(120),
                        () -> FaultDb.count(db, "SELECT COUNT(*) FROM record") >= PARCELS / 3
                                && FaultDb.count(db, UNEVALUATED) > 0, Duration.ofMillis(50));
                first.kill();
            }
            unevaluated = FaultDb.count(db, UNEVALUATED);
            long appliedAtKill = FaultDb.count(db, "SELECT COUNT(*) FROM record");
            long alertsAtKill = FaultDb.count(db, "SELECT COUNT(*) FROM alert");
            System.out.println("alerts kill 1 (between apply and evaluation): " + appliedAtKill + " records applied, "
                    + unevaluated + " of them not evaluated, " + alertsAtKill + " alerts");
            assertThat(unevaluated).as("records applied whose rules had not run when the hub died").isPositive();

            // The restarted hub finishes the export and evaluates what the first one applied and did not evaluate.
            Path file = rules.resolve("rules.yaml");
            long doneAtKill;
            long total;
            try (ChildHub second = ChildHub.start(logs, props)) {
                NothingLost.awaitSettled(db, export.produced(), null, Duration.ofSeconds(120));
                second.await("every applied version evaluated", Duration.ofSeconds(120),
                        () -> FaultDb.count(db, UNEVALUATED) == 0
                                && FaultDb.count(db, "SELECT COUNT(*) FROM alert_job WHERE state = 'RUNNING'") == 0);
                NothingLost.check("kill -9 between apply and rule evaluation", db, List.of("land-transfer"),
                        export.produced(), null);
                assertThat(alerts(db).stream().filter(a -> a.startsWith("LAND_BELOW_START|")))
                        .as("seeded: one alert per parcel sold below its start price").hasSize(export.belowStart());

                // 2. LAND_BELOW_START goes to version 2 (the rules file reloaded): a job over every land-transfer
                // record, 20 a tick. kill -9 in the middle of it.
                String v1 = Files.readString(file, StandardCharsets.UTF_8);
                String v2 = v1.replace("LAND_BELOW_START: {enabled: true, version: 1}",
                        "LAND_BELOW_START: {enabled: true, version: 2}");
                assertThat(v2).isNotEqualTo(v1);
                Files.writeString(file, v2, StandardCharsets.UTF_8);
                second.await("the re-evaluation job a third done (GET /api/v1/alerts/jobs)", Duration.ofSeconds(120),
                        () -> {
                            JsonNode job = job(second);
                            return job != null && job.path("done").asLong() >= job.path("total").asLong() / 3;
                        });
                second.kill();
            }
            doneAtKill = FaultDb.count(db, "SELECT done FROM alert_job WHERE rule = 'LAND_BELOW_START' AND to_version = 2");
            total = FaultDb.count(db, "SELECT total FROM alert_job WHERE rule = 'LAND_BELOW_START' AND to_version = 2");
            System.out.println("alerts kill 2 (mid job): " + doneAtKill + " of " + total + " records re-evaluated");
            assertThat(doneAtKill).as("killed in the middle of the job").isPositive().isLessThan(total);

            try (ChildHub third = ChildHub.start(logs, props)) {
                third.await("the job resumed and done", Duration.ofSeconds(150), () -> {
                    JsonNode job = job(third);
                    return job != null && "DONE".equals(job.path("state").asText())
                            && job.path("progress").asDouble() == 1.0;
                });
                assertThat(FaultDb.count(db, "SELECT COUNT(*) FROM alert_job WHERE rule = 'LAND_BELOW_START'"
                        + " AND to_version = 2")).as("the job resumed, not started again as a second job").isEqualTo(1);
            }
            TreeSet<String> afterJob = alerts(db);

            // The reference: the same final records, alerts evaluated from nothing by a hub never killed.
            reference = Services.copyPostgresDatabase(url, "fault_alerts_ref");
            JdbcTemplate ref = FaultDb.jdbc(reference);
            ref.execute("TRUNCATE alert, alert_record, alert_event, alert_ack, supervision_position, supervision_record,"
                    + " alert_rule_version, alert_job");
            Map<String, Object> refProps = ChildHub.onPostgres(reference, dir.resolve("artemis-ref"));
            refProps.put("hub.supervision.alerts.enabled", "true");
            refProps.put("hub.supervision.rules-dir", rules);
            try (ChildHub fresh = ChildHub.start(logs, refProps)) {
                fresh.await("the reference evaluated", Duration.ofSeconds(120),
                        () -> FaultDb.count(ref, UNEVALUATED) == 0
                                && FaultDb.count(ref, "SELECT COUNT(*) FROM alert_job") > 0
                                && FaultDb.count(ref, "SELECT COUNT(*) FROM alert_job WHERE state = 'RUNNING'") == 0);
            }
            TreeSet<String> expected = alerts(ref);

            long doubledKeys = FaultDb.count(db, "SELECT COUNT(*) FROM (SELECT rule, alert_key FROM alert"
                    + " GROUP BY rule, alert_key HAVING COUNT(*) > 1) x");
            long raisedTwice = FaultDb.count(db, "SELECT COUNT(*) FROM (SELECT alert_num FROM alert_event"
                    + " WHERE kind = 'RAISED' GROUP BY alert_num HAVING COUNT(*) > 1) x");
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(afterJob);
            TreeSet<String> spurious = new TreeSet<>(afterJob);
            spurious.removeAll(expected);
            System.out.println("FAULT-FIGURES alerts after kill -9 between apply and evaluation and mid-job: records="
                    + export.produced().size() + " unevaluated-at-kill=" + unevaluated + " job-done-at-kill=" + doneAtKill
                    + "/" + total + " alerts=" + afterJob.size() + " expected=" + expected.size() + " missing="
                    + missing.size() + " spurious=" + spurious.size() + " doubled-keys=" + doubledKeys
                    + " raised-twice=" + raisedTwice);
            assertThat(missing).as("alerts the reference has and the killed hub lost").isEmpty();
            assertThat(spurious).as("alerts the killed hub has and the reference does not").isEmpty();
            assertThat(doubledKeys).as("(rule, key) with two alerts").isZero();
            assertThat(raisedTwice).as("an alert raised twice").isZero();
            assertThat(afterJob.stream().filter(a -> a.startsWith("LAND_BELOW_START|")))
                    .as("every LAND_BELOW_START alert carried over to version 2").hasSize(export.belowStart())
                    .allSatisfy(a -> assertThat(a).contains("|v2|"));
        } finally {
            Services.dropPostgresDatabase(url);
            if (reference != null) {
                Services.dropPostgresDatabase(reference);
            }
        }
    }

    /** The LAND_BELOW_START version 2 job as GET /api/v1/alerts/jobs shows it, null before it exists. */
    private static JsonNode job(ChildHub hub) throws java.io.IOException {
        for (JsonNode j : Viewer.json(hub.baseUrl(), "/api/v1/alerts/jobs").path("items")) {
            if ("LAND_BELOW_START".equals(j.path("rule").asText()) && j.path("toVersion").asInt() == 2) {
                return j;
            }
        }
        return null;
    }

    /** Every alert not cleared, as what a user compares: rule, key, level, version, state, records, message. */
    private static TreeSet<String> alerts(JdbcTemplate db) {
        return new TreeSet<>(db.query("SELECT rule, alert_key, alert_level, rule_version, resolved_at IS NULL,"
                + " record_ids, message FROM alert WHERE cleared_at IS NULL", (rs, i) -> rs.getString(1) + "|"
                + rs.getString(2) + "|" + rs.getString(3) + "|v" + rs.getInt(4) + "|"
                + (rs.getBoolean(5) ? "open" : "resolved") + "|" + rs.getString(6) + "|" + rs.getString(7)));
    }
}

package yingyan.supervision.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static yingyan.supervision.alerts.AlertFixtures.DEADLINE;
import static yingyan.supervision.alerts.AlertFixtures.FEE;
import static yingyan.supervision.alerts.AlertFixtures.SET;
import static yingyan.supervision.alerts.AlertFixtures.approval;
import static yingyan.supervision.alerts.AlertFixtures.at;
import static yingyan.supervision.alerts.AlertFixtures.fee;
import static yingyan.supervision.alerts.AlertFixtures.purchase;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Status;
import yingyan.store.ApplyOutcome;
import yingyan.store.RecordStore;
import yingyan.supervision.Level;
import yingyan.web.Grants;

/**
 * The alert engine on the database (H2 here, PostgreSQL in AlertEnginePostgresIT), with the stand-in rules of
 * {@link AlertFixtures}: evaluation after apply and by the clock, raise / update / resolve / clear, nothing ever
 * doubled, a late older version changing nothing, a version whose rules did not run found later, a rule change
 * re-evaluated by a job that resumes where it stopped.
 */
@SpringBootTest(properties = "hub.supervision.alerts.job-page=2")
@ActiveProfiles("test")
@Import(AlertFixtures.Rules.class)
class AlertEngineTest {
    @Autowired
    RecordStore store;
    @Autowired
    AlertFollower follower;
    @Autowired
    AlertClock clock;
    @Autowired
    RuleJobs jobs;
    @Autowired
    AlertRules rules;
    @Autowired
    AlertWriter writer;
    @Autowired
    Evaluator evaluator;
    @Autowired
    AlertQueries queries;
    @Autowired
    AlertFixtures.FeeRule feeRule;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    @Test
    void aLateCaseIsRaisedAtItsDeadlineOnce_resolvedWhenDecided_andALateOlderVersionChangesNothing() {
        // Accepted Mon 2026-03-02, 2 working days: Tue 3, Wed 4 -> the deadline ends 2026-03-05 00:00 Beijing.
        apply(approval("ENG-LATE", "2026-03-02 10:00:00", "2026-03-02 09:00:00", 2, null));
        follow("2026-03-03 12:00:00");
        assertThat(live(DEADLINE, "approvals:ENG-LATE")).isNull();

        clock.pass(at("2026-03-05 00:00:00"));
        StoredAlert raised = live(DEADLINE, "approvals:ENG-LATE");
        assertThat(raised).isNotNull();
        assertThat(raised.toAlert().raisedAt()).hasToString("2026-03-05T00:00+08:00");
        assertThat(raised.toAlert().state()).isEqualTo(Alert.State.OPEN);
        assertThat(raised.calendarVersion()).isEqualTo("test-calendar-1");
        assertThat(raised.inputs()).singleElement().satisfies(i -> {
            assertThat(i.recordId()).isEqualTo("approvals:ENG-LATE");
            assertThat(i.updatedAt().toInstant()).isEqualTo(at("2026-03-02 10:00:00"));
        });

        // Noticed again by the clock and by a follower that lost its position: nothing new.
        clock.pass(at("2026-03-05 00:10:00"));
        jdbc.update("UPDATE supervision_position SET position = 0 WHERE name = 'follow'");
        follow("2026-03-05 00:20:00");
        assertThat(events(DEADLINE, "approvals:ENG-LATE")).containsExactly("RAISED");

        // Decided late: the same alert, resolved; the finding stays.
        apply(approval("ENG-LATE", "2026-03-06 10:00:01", "2026-03-02 09:00:00", 2, "2026-03-06 10:00:00"));
        follow("2026-03-06 10:01:00");
        StoredAlert resolved = live(DEADLINE, "approvals:ENG-LATE");
        assertThat(resolved.alertId()).isEqualTo(raised.alertId());
        assertThat(resolved.toAlert().state()).isEqualTo(Alert.State.RESOLVED);
        assertThat(resolved.toAlert().resolvedAt()).hasToString("2026-03-06T10:00+08:00");

        // An older version arriving late (decided in time, as the source once said) is never applied or evaluated.
        ApplyOutcome late = store.apply(List.of(approval("ENG-LATE", "2026-03-03 08:00:00", "2026-03-02 09:00:00", 2,
                "2026-03-03 07:00:00")));
        assertThat(late.stale()).isEqualTo(1);
        follow("2026-03-06 11:00:00");
        clock.pass(at("2026-03-06 11:00:00"));
        assertThat(events(DEADLINE, "approvals:ENG-LATE")).containsExactly("RAISED", "RESOLVED");
        assertThat(count(DEADLINE, "approvals:ENG-LATE")).isEqualTo(1);
    }

    @Test
    void aCorrectionClearsTheAlert_andAFindingThatComesBackIsANewAlert() {
        apply(fee("ENG-FEE", "2026-03-02 10:00:00", "2000.00"));
        follow("2026-03-02 10:01:00");
        StoredAlert first = live(FEE, "approvals:ENG-FEE");
        assertThat(first.level()).isEqualTo(Level.RED);

        apply(fee("ENG-FEE", "2026-03-02 11:00:00", "500.00"));
        follow("2026-03-02 11:01:00");
        assertThat(live(FEE, "approvals:ENG-FEE")).isNull();
        assertThat(queries.one(first.alertId(), Grants.ALL).orElseThrow().toAlert().state()).isEqualTo(Alert.State.CLEARED);

        apply(fee("ENG-FEE", "2026-03-02 12:00:00", "3000.00"));
        follow("2026-03-02 12:01:00");
        StoredAlert again = live(FEE, "approvals:ENG-FEE");
        assertThat(again.alertId()).isNotEqualTo(first.alertId());
        assertThat(events(FEE, "approvals:ENG-FEE")).containsExactly("RAISED", "CLEARED", "RAISED");
        assertThat(count(FEE, "approvals:ENG-FEE")).isEqualTo(2);
    }

    @Test
    void aGrowingSetKeepsItsAlertId_withTheNewestRecordsRegion_andClearsWhenItNoLongerMeetsTheRule() {
        String credit = "91370700MA3C0000X1";
        String key = "CGZX|" + credit;
        apply(purchase("ENG-SET-1", "2026-03-02 10:00:00", "370702", credit, Status.COMPLETED),
                purchase("ENG-SET-2", "2026-03-03 10:00:00", "370703", credit, Status.COMPLETED));
        follow("2026-03-03 10:01:00");
        StoredAlert two = live(SET, key);
        assertThat(two.recordIds()).containsExactlyInAnyOrder("procurement:ENG-SET-1", "procurement:ENG-SET-2");
        assertThat(two.regionCode()).isEqualTo("370703");

        apply(purchase("ENG-SET-3", "2026-03-04 10:00:00", "370783", credit, Status.COMPLETED));
        follow("2026-03-04 10:01:00");
        StoredAlert three = live(SET, key);
        assertThat(three.alertId()).isEqualTo(two.alertId());
        assertThat(three.inputs()).hasSize(3);
        assertThat(three.regionCode()).isEqualTo("370783");
        assertThat(jdbc.queryForList("SELECT region_code FROM alert_record WHERE alert_num = ? ORDER BY region_code",
                String.class, three.num())).containsExactly("370702", "370703", "370783");

        apply(purchase("ENG-SET-1", "2026-03-05 10:00:00", "370702", credit, Status.CANCELLED),
                purchase("ENG-SET-2", "2026-03-05 10:00:00", "370703", credit, Status.CANCELLED));
        follow("2026-03-05 10:01:00");
        assertThat(live(SET, key)).isNull();
        assertThat(events(SET, key)).containsExactly("RAISED", "UPDATED", "CLEARED");
    }

    @Test
    void aPageWhereARecordMovesToAnotherSupplier_eachSetHoldsTheRecordsAsTheirVersionsInThePageSay() {
        String a = "CGZX|91370700MA3C0000A1";
        String b = "CGZX|91370700MA3C0000B2";
        apply(purchase("ENG-MOVE-1", "2026-03-02 10:00:00", "370702", "91370700MA3C0000A1", Status.COMPLETED),
                purchase("ENG-MOVE-2", "2026-03-02 11:00:00", "370702", "91370700MA3C0000A1", Status.COMPLETED),
                purchase("ENG-MOVE-3", "2026-03-02 12:00:00", "370703", "91370700MA3C0000B2", Status.COMPLETED));
        follow("2026-03-02 12:01:00");
        assertThat(live(SET, a).recordIds()).containsExactlyInAnyOrder("procurement:ENG-MOVE-1",
                "procurement:ENG-MOVE-2");
        assertThat(live(SET, b)).isNull();

        // One page: ENG-MOVE-1 corrected (same supplier) and ENG-MOVE-2 moved to the other supplier, while the
        // index still files ENG-MOVE-2 under the first: it counts in the second set only.
        apply(purchase("ENG-MOVE-1", "2026-03-03 10:00:00", "370702", "91370700MA3C0000A1", Status.COMPLETED),
                purchase("ENG-MOVE-2", "2026-03-03 10:00:00", "370702", "91370700MA3C0000B2", Status.COMPLETED));
        follow("2026-03-03 10:01:00");
        assertThat(live(SET, a)).isNull();
        assertThat(live(SET, b).recordIds()).containsExactlyInAnyOrder("procurement:ENG-MOVE-2",
                "procurement:ENG-MOVE-3");
        assertThat(events(SET, a)).containsExactly("RAISED", "CLEARED");
    }

    @Test
    void theDatabaseRefusesASecondLiveAlertForOneRuleAndKey() {
        apply(fee("ENG-UNIQUE", "2026-03-02 10:00:00", "2500.00"));
        follow("2026-03-02 10:01:00");
        StoredAlert a = live(FEE, "approvals:ENG-UNIQUE");
        assertThatThrownBy(() -> jdbc.update("INSERT INTO alert (alert_id, rule, rule_version, alert_level, alert_key,"
                + " open_key, domain, region_code, raised_at, calendar_missing, record_ids, inputs, message, last_seq)"
                + " VALUES ('a-copy', ?, 1, 'RED', ?, ?, 'APPROVAL', '370783', CURRENT_TIMESTAMP, FALSE, '[]', '[]',"
                + " 'copy', 0)", FEE, a.key(), a.key())).isInstanceOf(DataIntegrityViolationException.class);
        // open_key must follow cleared_at: a live alert without it (which the index could not see) is refused too.
        assertThatThrownBy(() -> jdbc.update("UPDATE alert SET open_key = NULL WHERE num = ?", a.num()))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void alertsAndTheFollowersPositionAreKeptTogetherOrNotAtAll_soAVersionWhoseRulesDidNotRunIsRunLater() {
        apply(fee("ENG-CRASH", "2026-03-02 10:00:00", "4000.00"));
        long before = position();
        Instant now = at("2026-03-02 10:01:00");
        CanonicalRecord r = fee("ENG-CRASH", "2026-03-02 10:00:00", "4000.00");
        long seq = jdbc.queryForObject("SELECT version_seq FROM record WHERE record_id = ?", Long.class, r.recordId());
        List<Decided> decided = evaluator.evaluate(new Evaluator.Current(r, seq), rules.all(), rules.calendar(), now);
        // The hub dies after the alerts were written and before the position moved: one transaction, so neither.
        assertThatThrownBy(() -> writer.write(decided, now, () -> {
            throw new IllegalStateException("killed between the alerts and the position");
        })).hasMessageContaining("killed");
        assertThat(live(FEE, "approvals:ENG-CRASH")).isNull();
        assertThat(position()).isEqualTo(before);

        // After the restart the follower finds the version from its position and runs its rules, once.
        follow("2026-03-02 10:05:00");
        assertThat(live(FEE, "approvals:ENG-CRASH")).isNotNull();
        assertThat(position()).isGreaterThanOrEqualTo(seq);
        follow("2026-03-02 10:06:00");
        assertThat(events(FEE, "approvals:ENG-CRASH")).containsExactly("RAISED");
    }

    @Test
    void aNewRuleVersionIsAResumableJob_thatCarriesOverWhatStillHoldsAndClearsWhatNoLongerDoes() {
        apply(fee("ENG-JOB-LOW", "2026-03-02 10:00:00", "2000.00"), fee("ENG-JOB-HIGH", "2026-03-02 10:00:00",
                "8000.00"));
        follow("2026-03-02 10:01:00");
        jobs.clock(Clock.fixed(at("2026-03-02 10:02:00"), ZoneOffset.UTC));
        // Version 1 is recorded as the alerts' version (its own job, run to the end).
        jobs.startChanged(rules.all());
        jobs.advance(rules.all(), 100_000);
        StoredAlert low = live(FEE, "approvals:ENG-JOB-LOW");
        StoredAlert high = live(FEE, "approvals:ENG-JOB-HIGH");
        assertThat(List.of(low.ruleVersion(), high.ruleVersion())).containsOnly(1);
        try {
            feeRule.version.set(2);
            jobs.startChanged(rules.all());
            RuleJobs.Job job = jobs.list().stream().filter(j -> j.rule().equals(FEE)).findFirst().orElseThrow();
            assertThat(job.state()).isEqualTo("RUNNING");
            assertThat(job.fromVersion()).isEqualTo(1);
            assertThat(job.toVersion()).isEqualTo(2);
            assertThat(job.total()).isPositive();

            // One page (2 records), then the hub stops: the position and progress are in the database.
            assertThat(jobs.page(job.id(), feeRule)).isTrue();
            RuleJobs.Job stopped = jobs.list().stream().filter(j -> j.id() == job.id()).findFirst().orElseThrow();
            assertThat(stopped.done()).isEqualTo(2);
            assertThat(jdbc.queryForObject("SELECT position FROM alert_job WHERE id = ?", String.class, job.id()))
                    .isNotEmpty();

            // After the restart it goes on from there and finishes; starting again finds nothing new to do.
            jobs.startChanged(rules.all());
            jobs.advance(rules.all(), 100_000);
            RuleJobs.Job done = jobs.list().stream().filter(j -> j.id() == job.id()).findFirst().orElseThrow();
            assertThat(done.state()).isEqualTo("DONE");
            assertThat(done.done()).isEqualTo(done.total());
            assertThat(done.progress()).isEqualTo(1.0);
            assertThat(jdbc.queryForObject("SELECT version FROM alert_rule_version WHERE rule = ?", Integer.class, FEE))
                    .isEqualTo(2);

            StoredAlert carried = live(FEE, "approvals:ENG-JOB-HIGH");
            assertThat(carried.alertId()).isEqualTo(high.alertId());
            assertThat(carried.ruleVersion()).isEqualTo(2);
            assertThat(live(FEE, "approvals:ENG-JOB-LOW")).isNull();
            assertThat(events(FEE, "approvals:ENG-JOB-HIGH")).containsExactly("RAISED", "UPDATED");
            assertThat(events(FEE, "approvals:ENG-JOB-LOW")).containsExactly("RAISED", "CLEARED");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE rule = ? AND open_key IS NOT NULL"
                    + " AND rule_version <> 2", Integer.class, FEE)).isZero();
        } finally {
            feeRule.version.set(1);
            jobs.startChanged(rules.all());
            jobs.advance(rules.all(), 100_000);
        }
    }

    @Autowired
    Reevaluation reevaluation;

    @Test
    void aChangedCalendarReevaluatesEveryDeadline_decidedCasesIncluded_asAJob() {
        apply(approval("ENG-CAL", "2026-03-02 10:00:00", "2026-03-02 09:00:00", 1, "2026-03-09 10:00:00"));
        follow("2026-03-09 10:01:00");
        String id = live(DEADLINE, "approvals:ENG-CAL").alertId();
        jobs.clock(Clock.fixed(at("2026-03-09 10:02:00"), ZoneOffset.UTC));
        jobs.startChanged(rules.all());
        jobs.advance(rules.all(), 100_000);
        reevaluation.calendarChanged("test-calendar-1", "test-calendar-1");
        RuleJobs.Job job = jobs.list().stream().filter(j -> j.rule().equals(DEADLINE)).findFirst().orElseThrow();
        assertThat(job.state()).isEqualTo("RUNNING");
        jobs.advance(rules.all(), 100_000);
        assertThat(jobs.list().stream().filter(j -> j.id() == job.id()).findFirst().orElseThrow().state())
                .isEqualTo("DONE");
        // Same calendar, same finding: the decided case keeps its one alert, nothing doubled.
        assertThat(live(DEADLINE, "approvals:ENG-CAL").alertId()).isEqualTo(id);
        assertThat(events(DEADLINE, "approvals:ENG-CAL")).containsExactly("RAISED");
    }

    @Test
    void theClockRunsEveryIntervalAndAtMidnightAfterAWorkingDayOnly() {
        AlertFixtures.WeekendCalendar calendar = new AlertFixtures.WeekendCalendar();
        // Fri 2026-03-06 was a working day: its end is due at once; Sat 7 was not: the next 10 minutes decide.
        assertThat(clock.due(at("2026-03-06 23:58:00"), at("2026-03-07 00:00:30"), calendar)).isTrue();
        assertThat(clock.due(at("2026-03-07 23:58:00"), at("2026-03-08 00:00:30"), calendar)).isFalse();
        assertThat(clock.due(at("2026-03-07 23:50:00"), at("2026-03-08 00:00:30"), calendar)).isTrue();
        assertThat(clock.due(at("2026-03-06 10:00:00"), at("2026-03-06 10:09:59"), calendar)).isFalse();
        assertThat(clock.due(Instant.EPOCH, at("2026-03-06 10:00:00"), calendar)).as("never ran").isTrue();
    }

    @Test
    void theOpenGaugeAndTheCountersFollowTheAlerts() {
        apply(fee("ENG-METRICS", "2026-03-02 10:00:00", "2200.00"));
        double raised = counter("yingyan.alerts.raised");
        double cleared = counter("yingyan.alerts.cleared");
        follow("2026-03-02 10:01:00");
        assertThat(counter("yingyan.alerts.raised")).isEqualTo(raised + 1);
        double open = meters.get("yingyan.alerts.open").tags("level", "RED", "rule", FEE).gauge().value();
        assertThat(open).isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE rule = ? AND open_key IS NOT"
                + " NULL AND resolved_at IS NULL", Double.class, FEE));

        apply(fee("ENG-METRICS", "2026-03-02 11:00:00", "10.00"));
        follow("2026-03-02 11:01:00");
        assertThat(counter("yingyan.alerts.cleared")).isEqualTo(cleared + 1);
        assertThat(meters.get("yingyan.alerts.open").tags("level", "RED", "rule", FEE).gauge().value())
                .isEqualTo(open - 1);
    }

    private double counter(String name) {
        var c = meters.find(name).tags("rule", FEE, "level", "RED").counter();
        return c == null ? 0 : c.count();
    }

    private void apply(CanonicalRecord... records) {
        store.apply(List.of(records));
    }

    private void follow(String beijing) {
        follower.clock(Clock.fixed(at(beijing), ZoneOffset.UTC));
        follower.followAll(rules.all());
        follower.tickMetrics();
    }

    private long position() {
        List<Long> p = jdbc.queryForList("SELECT position FROM supervision_position WHERE name = 'follow'", Long.class);
        return p.isEmpty() ? 0 : p.get(0);
    }

    private StoredAlert live(String rule, String key) {
        return jdbc.query("SELECT " + StoredAlert.COLUMNS + " FROM alert WHERE rule = ? AND open_key = ?",
                StoredAlert.ROW, rule, key).stream().findFirst().orElse(null);
    }

    private int count(String rule, String key) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE rule = ? AND alert_key = ?", Integer.class, rule,
                key);
    }

    private List<String> events(String rule, String key) {
        return jdbc.queryForList("SELECT e.kind FROM alert_event e JOIN alert a ON a.num = e.alert_num"
                + " WHERE a.rule = ? AND a.alert_key = ? ORDER BY e.seq", String.class, rule, key);
    }
}

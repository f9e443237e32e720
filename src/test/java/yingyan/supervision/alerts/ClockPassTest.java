package yingyan.supervision.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.supervision.alerts.AlertFixtures.at;
import static yingyan.supervision.alerts.AlertFixtures.t;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Limits;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.Payloads;
import yingyan.store.RecordStore;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;
import yingyan.supervision.RuleContext;
import yingyan.supervision.WorkingCalendar;

/**
 * The clock's due-only pass (it revisits an open case only when {@code clock_next} says a deadline rule's outcome
 * can change) against a full evaluation, with the real rules (conf/supervision) and the real 2026 calendar
 * (conf/calendar, National Day Oct 1–8 and its 调休 workdays): a month of seeded approval cases arriving, being
 * decided (some late) and waiting, with a clock pass at 00:00 and at midday every day; after every pass the live
 * alerts of the time-dependent rules are exactly what those rules find for every record's current version then.
 * And a rule that throws for one record: the failure is logged and counted, and the clock retries it only when
 * that record is next due, not at every pass.
 */
@SpringBootTest
@ActiveProfiles("test")
@Import(ClockPassTest.Throwing.class)
@ExtendWith(OutputCaptureExtension.class)
class ClockPassTest {
    static final String THROWS = "T_THROWS";

    private final RecordStore store;
    private final AlertFollower follower;
    private final AlertClock clock;
    private final AlertRules rules;
    private final Evaluator evaluator;
    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final ThrowingRule throwing;

    @Autowired
    ClockPassTest(RecordStore store, AlertFollower follower, AlertClock clock, AlertRules rules, Evaluator evaluator,
                  JdbcTemplate jdbc, MeterRegistry meters, ThrowingRule throwing) {
        this.store = store;
        this.follower = follower;
        this.clock = clock;
        this.rules = rules;
        this.evaluator = evaluator;
        this.jdbc = jdbc;
        this.meters = meters;
        this.throwing = throwing;
    }

    /** What an alert says, as a string to compare: level, times, message, rule and calendar versions, inputs. */
    private static String said(String rule, int version, Level level, Instant raised, Instant resolved,
                               String message, String calendar, List<yingyan.supervision.Input> inputs) {
        return rule + " v" + version + " " + level + " raised " + raised + " resolved " + resolved + " cal "
                + calendar + " " + message + " " + inputs.stream().map(i -> i.recordId() + "@"
                + i.updatedAt().toInstant() + "#" + i.payloadSha256()).toList();
    }

    @Test
    void theDueOnlyPassGivesWhatAFullEvaluationFinds_acrossNationalDay() {
        List<Rule> timed = rules.all().stream().filter(Rule::timeDependent).filter(r -> !r.id().startsWith("T_"))
                .toList();
        assertThat(timed).extracting(Rule::id)
                .contains("LATE_ACCEPTANCE", "PROMISED_OVERDUE", "LEGAL_OVERDUE", "NEAR_PROMISED");

        // 300 cases received 2026-09-01 .. 10-20 (from 17:00 to 08:00 too), most accepted within 0–6 working
        // days, some never; promised 1–12 and legal 5–30 working days (a few without); half decided 1–25 days
        // after acceptance, the decision arriving as a new version then.
        Random random = new Random(20261001);
        Map<Instant, List<CanonicalRecord>> arrivals = new TreeMap<>();
        OffsetDateTime first = t("2026-09-01 00:00:00");
        for (int i = 0; i < 300; i++) {
            String key = String.format("CLK-%04d", i);
            OffsetDateTime received = first.plusMinutes(random.nextInt(50 * 24 * 60));
            OffsetDateTime accepted = random.nextInt(10) == 0 ? null
                    : received.plusHours(random.nextInt(6 * 24 + 1));
            Limits limits = random.nextInt(12) == 0 ? null : new Limits(5 + random.nextInt(26), 1 + random.nextInt(12));
            CanonicalRecord.Builder open = approval(key, accepted == null ? received : accepted, received, accepted,
                    limits).status(Status.OPEN);
            arrivals.computeIfAbsent((accepted == null ? received : accepted).toInstant(), x -> new ArrayList<>())
                    .add(open.build());
            if (accepted != null && random.nextBoolean()) {
                OffsetDateTime decided = accepted.plusHours(24 + random.nextInt(25 * 24));
                CanonicalRecord done = approval(key, decided, received, accepted, limits)
                        .step(Step.DECIDED, decided, null).status(Status.COMPLETED).build();
                arrivals.computeIfAbsent(decided.toInstant(), x -> new ArrayList<>()).add(done);
            }
        }
        List<Instant> passes = new ArrayList<>();
        for (OffsetDateTime d = t("2026-09-03 00:00:00"); d.isBefore(t("2026-11-01 00:00:00")); d = d.plusHours(12)) {
            passes.add(d.toInstant());
        }

        int compared = 0;
        int withAlerts = 0;
        for (Instant pass : passes) {
            // Every version that arrived before the pass is applied and followed when it arrived.
            for (Map.Entry<Instant, List<CanonicalRecord>> a : List.copyOf(arrivals.entrySet())) {
                if (!a.getKey().isBefore(pass)) {
                    break;
                }
                store.apply(a.getValue());
                follower.clock(Clock.fixed(a.getKey().plusSeconds(30), ZoneOffset.UTC));
                follower.followAll(rules.all());
                arrivals.remove(a.getKey());
            }
            clock.pass(pass);
            Map<String, String> expected = fullEvaluation(timed, pass);
            Map<String, String> live = liveAlerts(timed);
            assertThat(live).as("live alerts after the pass at %s", pass).isEqualTo(expected);
            compared++;
            if (!live.isEmpty()) {
                withAlerts++;
            }
        }
        assertThat(compared).isEqualTo(passes.size());
        assertThat(withAlerts).isGreaterThan(passes.size() / 2);
        // Every kind of finding was among them: late, resolved late, near the promise, and across the holiday.
        assertThat(jdbc.queryForList("SELECT DISTINCT rule FROM alert", String.class))
                .contains("LATE_ACCEPTANCE", "PROMISED_OVERDUE", "LEGAL_OVERDUE", "NEAR_PROMISED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE resolved_at IS NOT NULL", Integer.class))
                .isPositive();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE raised_at >= ? AND raised_at < ?",
                Integer.class, t("2026-10-09 00:00:00"), t("2026-10-11 00:00:00"))).as("deadlines pushed past the holiday")
                .isPositive();
    }

    /** Every record's current version evaluated with the time-dependent rules at {@code now}: what should be live. */
    private Map<String, String> fullEvaluation(List<Rule> timed, Instant now) {
        List<Evaluator.Current> all = new ArrayList<>();
        jdbc.query("SELECT version_seq, body FROM record WHERE record_id LIKE 'approvals:CLK-%'", rs -> {
            all.add(new Evaluator.Current(CanonicalJson.read(rs.getString(2)), rs.getLong(1)));
        });
        Map<String, String> out = new TreeMap<>();
        for (Decided d : evaluator.evaluateAll(all, timed, rules.calendar(), now)) {
            d.outcome().finding().ifPresent(f -> out.put(f.rule() + " " + f.key(), said(f.rule(), f.ruleVersion(),
                    f.level(), f.raisedAt(), f.resolvedAt(), f.message(), f.calendarVersion(), f.inputs())));
        }
        return out;
    }

    private Map<String, String> liveAlerts(List<Rule> timed) {
        Set<String> ids = Set.copyOf(timed.stream().map(Rule::id).toList());
        Map<String, String> out = new TreeMap<>();
        jdbc.query("SELECT " + StoredAlert.COLUMNS + " FROM alert WHERE open_key LIKE 'approvals:CLK-%'",
                StoredAlert.ROW).stream().filter(a -> ids.contains(a.rule())).forEach(a -> out.put(
                a.rule() + " " + a.key(), said(a.rule(), a.ruleVersion(), a.level(), a.raisedAt(), a.resolvedAt(),
                        a.message(), a.calendarVersion(), a.inputs())));
        return out;
    }

    @Test
    void aRuleThatThrowsForARecordIsRetriedWhenTheRecordIsNextDue_notAtEveryPass(CapturedOutput output) {
        // Accepted Mon 2026-03-02: the throwing rule's outcome can change at 03-04 00:00 and 03-06 00:00 (Beijing).
        CanonicalRecord bad = approval("THROW-1", t("2026-03-02 10:00:00"), t("2026-03-02 09:00:00"),
                t("2026-03-02 10:00:00"), new Limits(20, 10)).status(Status.OPEN).build();
        // The first pass after a start with new rules is a full one (every open case); this one is before the case.
        clock.pass(at("2026-03-02 09:59:00"));
        store.apply(List.of(bad));
        double before = failures();
        follower.clock(Clock.fixed(at("2026-03-02 10:01:00"), ZoneOffset.UTC));
        follower.followAll(rules.all());
        assertThat(throwing.calls(bad.recordId())).as("evaluated after apply").isEqualTo(1);
        assertThat(failures()).isEqualTo(before + 1);
        assertThat(output).contains("rule " + THROWS + " failed on record " + bad.recordId());

        // Passes every 10 minutes until the record is due: not evaluated again.
        for (Instant now = at("2026-03-02 10:10:00"); now.isBefore(at("2026-03-04 00:00:00"));
             now = now.plus(Duration.ofHours(3))) {
            clock.pass(now);
        }
        assertThat(throwing.calls(bad.recordId())).as("not retried before it is due").isEqualTo(1);

        clock.pass(at("2026-03-04 00:00:00"));
        assertThat(throwing.calls(bad.recordId())).as("retried when next due").isEqualTo(2);
        assertThat(failures()).isEqualTo(before + 2);
        clock.pass(at("2026-03-04 00:10:00"));
        clock.pass(at("2026-03-05 12:00:00"));
        assertThat(throwing.calls(bad.recordId())).isEqualTo(2);
        clock.pass(at("2026-03-06 00:00:00"));
        assertThat(throwing.calls(bad.recordId())).isEqualTo(3);
        assertThat(failures()).isEqualTo(before + 3);
        // The record's other rules went on: its real deadline rules ran and nothing of the throwing rule is stored.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert WHERE rule = ?", Integer.class, THROWS)).isZero();
    }

    private double failures() {
        Counter c = meters.find("yingyan.alerts.rule.failures").tag("rule", THROWS).counter();
        return c == null ? 0 : c.count();
    }

    private static CanonicalRecord.Builder approval(String key, OffsetDateTime updatedAt, OffsetDateTime received,
                                                    OffsetDateTime accepted, Limits limits) {
        CanonicalRecord.Builder b = CanonicalRecord.builder().domain(Domain.APPROVAL).regionCode("370783")
                .department(new Department("SGZRZY", "自然资源局", false))
                .matter(new Matter("M-1", "测试事项"))
                .party(Party.org("某公司", "91350100M000100Y43"))
                .step(Step.RECEIVED, received, null)
                .source(new SourceLineage("approvals", key, updatedAt, updatedAt.plusSeconds(5),
                        Payloads.sha256((key + updatedAt).getBytes(StandardCharsets.UTF_8))));
        if (accepted != null) {
            b.step(Step.ACCEPTED, accepted, null);
        }
        if (limits != null) {
            b.limits(limits);
        }
        return b;
    }

    /**
     * A time-dependent rule that throws for the records whose key starts with THROW- and covers no other record;
     * its outcome can change at the 2nd and 4th midnight (Beijing) after acceptance. Counts its evaluations.
     */
    static final class ThrowingRule extends AlertFixtures.TimedRule {
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        ThrowingRule() {
            super(THROWS, Level.YELLOW, Domain.APPROVAL);
        }

        int calls(String recordId) {
            AtomicInteger n = calls.get(recordId);
            return n == null ? 0 : n.get();
        }

        private static boolean covers(CanonicalRecord r) {
            return r.source().key().startsWith("THROW-");
        }

        @Override
        public List<Instant> changesAt(CanonicalRecord r, WorkingCalendar calendar) {
            if (!covers(r)) {
                return List.of();
            }
            OffsetDateTime accepted = r.timeline().stream().filter(e -> e.step() == Step.ACCEPTED)
                    .map(e -> e.at()).min(Comparator.naturalOrder()).orElseThrow();
            Instant day = accepted.atZoneSameInstant(AlertClock.BEIJING).toLocalDate().plusDays(2)
                    .atStartOfDay(AlertClock.BEIJING).toInstant();
            return List.of(day, day.plus(Duration.ofDays(2)));
        }

        @Override
        public List<Outcome> evaluate(CanonicalRecord r, Instant now, RuleContext context) {
            if (!covers(r)) {
                return List.of();
            }
            calls.computeIfAbsent(r.recordId(), k -> new AtomicInteger()).incrementAndGet();
            throw new IllegalStateException("a rule that cannot read this record");
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Throwing {
        @Bean
        ThrowingRule testThrowingRule() {
            return new ThrowingRule();
        }
    }
}

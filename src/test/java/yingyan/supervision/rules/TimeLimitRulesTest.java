package yingyan.supervision.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.supervision.rules.RuleFixtures.CALENDAR;
import static yingyan.supervision.rules.RuleFixtures.approval;
import static yingyan.supervision.rules.RuleFixtures.context;
import static yingyan.supervision.rules.RuleFixtures.i;
import static yingyan.supervision.rules.RuleFixtures.openApproval;
import static yingyan.supervision.rules.RuleFixtures.t;

import java.util.List;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Limits;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.supervision.Finding;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;

class TimeLimitRulesTest {
    private final Rule promised = TimeLimitRules.Overdue.promised(1);
    private final Rule legal = TimeLimitRules.Overdue.legal(1);
    private final Rule near = new TimeLimitRules.NearPromised(1);
    private final Rule lateAcceptance = new TimeLimitRules.LateAcceptance(1, 5);

    @Test
    void theAlertOfSection4() {
        CanonicalRecord r = openApproval("2026-03-02T10:02:11", 20, 10);

        Finding f = one(promised.evaluate(r, i("2026-03-20T08:00:00"), context()));

        assertThat(f.rule()).isEqualTo("PROMISED_OVERDUE");
        assertThat(f.level()).isEqualTo(Level.YELLOW);
        assertThat(f.key()).isEqualTo("approvals:SG-2026-000123");
        assertThat(f.raisedAt()).isEqualTo(i("2026-03-17T00:00:00"));
        assertThat(f.resolvedAt()).isNull();
        assertThat(f.message()).isEqualTo("承诺时限 10 个工作日，已于 2026-03-16 届满，仍未办结");
        assertThat(f.calendarVersion()).isEqualTo(CALENDAR.version());
        assertThat(f.calendarMissing()).isFalse();
        assertThat(f.inputs().get(0).payloadSha256()).isEqualTo(r.source().payloadSha256());
        // the legal limit (20) is not yet over
        assertThat(legal.evaluate(r, i("2026-03-20T08:00:00"), context())).containsExactly(Outcome.none(r.recordId()));
    }

    @Test
    void notLateUntilTheDeadlineEnds() {
        CanonicalRecord r = openApproval("2026-03-02T10:02:11", 20, 10);

        assertThat(promised.evaluate(r, i("2026-03-16T23:59:59"), context())).containsExactly(Outcome.none(r.recordId()));
        assertThat(one(promised.evaluate(r, i("2026-03-17T00:00:00"), context())).raisedAt())
                .isEqualTo(i("2026-03-17T00:00:00"));
    }

    @Test
    void acrossNationalDayADecisionOnOctober10IsLateAndResolved() {
        // Accepted Thu 2026-09-24, 5 working days: deadline 2026-10-09 24:00 (examples of §2).
        CanonicalRecord r = approval("SG-2026-000456").step(Step.ACCEPTED, t("2026-09-24T09:00:00"), null)
                .step(Step.DECIDED, t("2026-10-10T09:30:00"), "李四").limits(new Limits(20, 5))
                .status(Status.COMPLETED).build();

        Finding f = one(promised.evaluate(r, i("2026-10-12T00:00:00"), context()));

        assertThat(f.raisedAt()).isEqualTo(i("2026-10-10T00:00:00"));
        assertThat(f.resolvedAt()).isEqualTo(i("2026-10-10T09:30:00"));
        assertThat(f.message()).isEqualTo("承诺时限 5 个工作日，已于 2026-10-09 届满，2026-10-10 09:30 办结（逾期）");
    }

    @Test
    void decidedOnTimeOrWithoutALimitOrAcceptanceIsNoFinding() {
        CanonicalRecord onTime = approval("A").step(Step.ACCEPTED, t("2026-09-24T09:00:00"), null)
                .step(Step.COMPLETED, t("2026-10-09T23:59:59"), null).limits(new Limits(20, 5))
                .status(Status.COMPLETED).build();
        CanonicalRecord noLimits = openApproval("2026-01-05T09:00:00", null, null);
        CanonicalRecord noAccepted = approval("B").step(Step.RECEIVED, t("2026-01-05T09:00:00"), null)
                .limits(new Limits(20, 5)).status(Status.OPEN).build();

        for (CanonicalRecord r : List.of(onTime, noLimits, noAccepted)) {
            assertThat(promised.evaluate(r, i("2026-12-01T00:00:00"), context()))
                    .containsExactly(Outcome.none(r.recordId()));
        }
    }

    @Test
    void legalOverdueIsRedAndRunsWithoutAPromise() {
        CanonicalRecord r = openApproval("2026-03-02T10:02:11", 20, null);

        Finding f = one(legal.evaluate(r, i("2026-04-01T00:00:00"), context()));

        assertThat(f.level()).isEqualTo(Level.RED);
        assertThat(f.message()).isEqualTo("法定时限 20 个工作日，已于 2026-03-30 届满，仍未办结");
        assertThat(promised.evaluate(r, i("2026-04-01T00:00:00"), context())).containsExactly(Outcome.none(r.recordId()));
    }

    @Test
    void nearPromisedHoldsFromMidnightOfTheLastWorkingDayUntilTheEnd() {
        CanonicalRecord r = openApproval("2026-03-02T10:02:11", 20, 10);

        assertThat(near.evaluate(r, i("2026-03-15T23:59:59"), context())).containsExactly(Outcome.none(r.recordId()));
        Finding f = one(near.evaluate(r, i("2026-03-16T00:00:00"), context()));
        assertThat(f.level()).isEqualTo(Level.INFO);
        assertThat(f.raisedAt()).isEqualTo(i("2026-03-16T00:00:00"));
        assertThat(f.message()).isEqualTo("承诺时限 10 个工作日，将于 2026-03-16 24:00 届满，尚未办结");
        assertThat(near.evaluate(r, i("2026-03-17T00:00:00"), context())).containsExactly(Outcome.none(r.recordId()));
    }

    @Test
    void lateAcceptanceCountsFromReceived() {
        // Received Thu 2026-09-17: Fri 18, Sun 20 (worked), Mon 21, Tue 22, Wed 23: late from Thu 24 00:00.
        CanonicalRecord waiting = approval("C").step(Step.RECEIVED, t("2026-09-17T09:00:00"), null)
                .status(Status.OPEN).build();
        CanonicalRecord acceptedLate = approval("D").step(Step.RECEIVED, t("2026-09-17T09:00:00"), null)
                .step(Step.ACCEPTED, t("2026-09-25T08:00:00"), null).status(Status.OPEN).build();
        CanonicalRecord rejected = approval("E").step(Step.RECEIVED, t("2026-09-17T09:00:00"), null)
                .status(Status.REJECTED).build();

        Finding f = one(lateAcceptance.evaluate(waiting, i("2026-09-24T00:00:00"), context()));
        assertThat(f.message()).isEqualTo("受理时限 5 个工作日，已于 2026-09-23 届满，仍未受理");
        assertThat(lateAcceptance.evaluate(waiting, i("2026-09-23T23:59:59"), context())).allMatch(o -> o.finding().isEmpty());
        assertThat(one(lateAcceptance.evaluate(acceptedLate, i("2026-09-26T00:00:00"), context())).resolvedAt())
                .isEqualTo(i("2026-09-25T08:00:00"));
        assertThat(lateAcceptance.evaluate(rejected, i("2026-12-01T00:00:00"), context())).allMatch(o -> o.finding().isEmpty());
    }

    @Test
    void aDeadlineIntoAYearWithoutCalendarSaysSo() {
        CanonicalRecord r = openApproval("2026-12-24T09:00:00", 20, 10);

        Finding f = one(promised.evaluate(r, i("2027-02-01T00:00:00"), context()));

        assertThat(f.calendarMissing()).isTrue();
    }

    @Test
    void promiseExceedingTheLaw() {
        Rule rule = new TimeLimitRules.PromiseExceedsLaw(1);
        CanonicalRecord r = openApproval("2026-03-02T10:02:11", 10, 15);

        Finding f = one(rule.evaluate(r, i("2026-03-02T11:00:00"), context()));

        assertThat(f.message()).isEqualTo("承诺时限 15 个工作日超过法定时限 10 个工作日");
        assertThat(f.raisedAt()).isEqualTo(r.source().updatedAt().toInstant());
        assertThat(f.calendarVersion()).isNull();
        assertThat(rule.evaluate(openApproval("2026-03-02T10:02:11", 20, 10), i("2026-03-03T00:00:00"), context()))
                .allMatch(o -> o.finding().isEmpty());
    }

    static Finding one(List<Outcome> outcomes) {
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).finding()).as("a finding").isPresent();
        return outcomes.get(0).finding().get();
    }
}

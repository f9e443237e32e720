package yingyan.supervision.rules;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.supervision.Finding;
import yingyan.supervision.Input;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.RuleContext;
import yingyan.supervision.WorkingCalendar;
import yingyan.supervision.calendar.Deadline;
import yingyan.supervision.calendar.Deadlines;

/**
 * The time-limit rules of docs/contracts/supervision.md §2 (APPROVAL only). A deadline is computed with the
 * context's calendar; every finding names its version and whether a year had no file. raisedAt is the deadline's
 * end; resolvedAt the moment a late case was decided (accepted, for LATE_ACCEPTANCE).
 */
final class TimeLimitRules {
    private TimeLimitRules() {
    }

    static Outcome finding(BaseRule rule, CanonicalRecord r, WorkingCalendar cal, Deadline d, Instant raisedAt,
                           Instant resolvedAt, String message) {
        return Outcome.found(new Finding(rule.id(), rule.version(), rule.level(), r.recordId(), List.of(Input.of(r)),
                raisedAt, resolvedAt, message, d.calendarMissing(), cal.version()));
    }

    /** LATE_ACCEPTANCE: accepted at or after the end of the Nth (5th) working day after RECEIVED, or still not. */
    static final class LateAcceptance extends BaseRule {
        private final int workingDays;

        LateAcceptance(int version, int workingDays) {
            super("LATE_ACCEPTANCE", version, Level.YELLOW, Domain.APPROVAL);
            this.workingDays = workingDays;
        }

        @Override
        public boolean timeDependent() { return true; }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Optional<OffsetDateTime> received = Facts.at(r, Step.RECEIVED);
            if (received.isEmpty()) {
                return List.of(Outcome.none(r.recordId()));
            }
            WorkingCalendar cal = ctx.calendar();
            Deadline d = Deadlines.after(cal, received.get(), workingDays);
            String head = "受理时限 " + workingDays + " 个工作日，已于 " + d.lastDay().format(Facts.DAY) + " 届满，";
            Optional<OffsetDateTime> accepted = Facts.at(r, Step.ACCEPTED);
            if (accepted.isPresent()) {
                Instant a = accepted.get().toInstant();
                return List.of(a.isBefore(d.end()) ? Outcome.none(r.recordId())
                        : finding(this, r, cal, d, d.end(), a, head + Facts.minute(accepted.get()) + " 受理（逾期）"));
            }
            boolean waiting = r.status() == Status.OPEN && Facts.decided(r).isEmpty();
            return List.of(waiting && !now.isBefore(d.end())
                    ? finding(this, r, cal, d, d.end(), null, head + "仍未受理") : Outcome.none(r.recordId()));
        }

        @Override
        public List<Instant> changesAt(CanonicalRecord r, WorkingCalendar cal) {
            Optional<OffsetDateTime> received = Facts.at(r, Step.RECEIVED);
            if (received.isEmpty() || Facts.at(r, Step.ACCEPTED).isPresent() || r.status() != Status.OPEN
                    || Facts.decided(r).isPresent()) {
                return List.of();
            }
            return List.of(Deadlines.after(cal, received.get(), workingDays).end());
        }
    }

    /** PROMISED_OVERDUE (YELLOW) and LEGAL_OVERDUE (RED): decided at or after the deadline, or still OPEN then. */
    static final class Overdue extends BaseRule {
        private final boolean promised;

        private Overdue(String id, int version, Level level, boolean promised) {
            super(id, version, level, Domain.APPROVAL);
            this.promised = promised;
        }

        static Overdue promised(int version) {
            return new Overdue("PROMISED_OVERDUE", version, Level.YELLOW, true);
        }

        static Overdue legal(int version) {
            return new Overdue("LEGAL_OVERDUE", version, Level.RED, false);
        }

        @Override
        public boolean timeDependent() { return true; }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Integer limit = r.limits() == null ? null
                    : promised ? r.limits().promisedWorkingDays() : r.limits().legalWorkingDays();
            Optional<OffsetDateTime> accepted = Facts.at(r, Step.ACCEPTED);
            if (limit == null || limit < 0 || accepted.isEmpty()) {
                return List.of(Outcome.none(r.recordId()));
            }
            WorkingCalendar cal = ctx.calendar();
            Deadline d = Deadlines.after(cal, accepted.get(), limit);
            String head = (promised ? "承诺" : "法定") + "时限 " + limit + " 个工作日，已于 "
                    + d.lastDay().format(Facts.DAY) + " 届满，";
            Optional<OffsetDateTime> decided = Facts.decided(r);
            if (decided.isPresent()) {
                Instant t = decided.get().toInstant();
                return List.of(t.isBefore(d.end()) ? Outcome.none(r.recordId())
                        : finding(this, r, cal, d, d.end(), t, head + Facts.minute(decided.get()) + " 办结（逾期）"));
            }
            return List.of(r.status() == Status.OPEN && !now.isBefore(d.end())
                    ? finding(this, r, cal, d, d.end(), null, head + "仍未办结") : Outcome.none(r.recordId()));
        }

        @Override
        public List<Instant> changesAt(CanonicalRecord r, WorkingCalendar cal) {
            Integer limit = r.limits() == null ? null
                    : promised ? r.limits().promisedWorkingDays() : r.limits().legalWorkingDays();
            Optional<OffsetDateTime> accepted = Facts.at(r, Step.ACCEPTED);
            if (limit == null || limit < 0 || accepted.isEmpty() || r.status() != Status.OPEN
                    || Facts.decided(r).isPresent()) {
                return List.of();
            }
            return List.of(Deadlines.after(cal, accepted.get(), limit).end());
        }
    }

    /** NEAR_PROMISED: OPEN and undecided from 00:00 of the promised deadline's last working day until it ends. */
    static final class NearPromised extends BaseRule {
        NearPromised(int version) {
            super("NEAR_PROMISED", version, Level.INFO, Domain.APPROVAL);
        }

        @Override
        public boolean timeDependent() { return true; }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Integer limit = r.limits() == null ? null : r.limits().promisedWorkingDays();
            Optional<OffsetDateTime> accepted = Facts.at(r, Step.ACCEPTED);
            if (limit == null || limit < 0 || accepted.isEmpty() || r.status() != Status.OPEN
                    || Facts.decided(r).isPresent()) {
                return List.of(Outcome.none(r.recordId()));
            }
            WorkingCalendar cal = ctx.calendar();
            Deadline d = Deadlines.after(cal, accepted.get(), limit);
            boolean near = !now.isBefore(d.lastDayStart()) && now.isBefore(d.end());
            return List.of(near ? finding(this, r, cal, d, d.lastDayStart(), null, "承诺时限 " + limit
                    + " 个工作日，将于 " + d.lastDay().format(Facts.DAY) + " 24:00 届满，尚未办结")
                    : Outcome.none(r.recordId()));
        }

        @Override
        public List<Instant> changesAt(CanonicalRecord r, WorkingCalendar cal) {
            Integer limit = r.limits() == null ? null : r.limits().promisedWorkingDays();
            Optional<OffsetDateTime> accepted = Facts.at(r, Step.ACCEPTED);
            if (limit == null || limit < 0 || accepted.isEmpty() || r.status() != Status.OPEN
                    || Facts.decided(r).isPresent()) {
                return List.of();
            }
            Deadline d = Deadlines.after(cal, accepted.get(), limit);
            return List.of(d.lastDayStart(), d.end());
        }
    }

    /** PROMISE_EXCEEDS_LAW: the promised limit is longer than the statutory one. Reads no calendar. */
    static final class PromiseExceedsLaw extends BaseRule {
        PromiseExceedsLaw(int version) {
            super("PROMISE_EXCEEDS_LAW", version, Level.YELLOW, Domain.APPROVAL);
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Integer p = r.limits() == null ? null : r.limits().promisedWorkingDays();
            Integer l = r.limits() == null ? null : r.limits().legalWorkingDays();
            return List.of(p != null && l != null && p > l
                    ? Facts.found(this, r, "承诺时限 " + p + " 个工作日超过法定时限 " + l + " 个工作日")
                    : Outcome.none(r.recordId()));
        }
    }
}

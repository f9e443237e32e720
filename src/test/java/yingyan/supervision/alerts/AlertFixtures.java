package yingyan.supervision.alerts;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Limits;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.canonical.TimelineEntry;
import yingyan.spi.Payloads;
import yingyan.supervision.Finding;
import yingyan.supervision.Input;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;
import yingyan.supervision.RuleContext;
import yingyan.supervision.WorkingCalendar;

/**
 * Small stand-in rules and a weekends-only calendar for the alert engine's tests (the real rules and calendar
 * are supervision.rules / supervision.calendar, tested on their own): a deadline rule the clock re-runs, a fee
 * rule whose threshold depends on its version (for re-evaluation jobs), and a set rule. Their ids start with
 * {@code T_}, and the tests look only at those, so the real rules may run beside them.
 */
public final class AlertFixtures {
    static final String DEADLINE = "T_DEADLINE";
    static final String FEE = "T_FEE";
    static final String SET = "T_SET";

    private AlertFixtures() {
    }

    /** Beijing time. */
    static OffsetDateTime t(String text) {
        return CanonicalTime.parseSource(text);
    }

    static Instant at(String text) {
        return t(text).toInstant();
    }

    /** An approval case: accepted at {@code accepted}, promised {@code days} working days, decided or not. */
    static CanonicalRecord approval(String key, String updatedAt, String accepted, int days, String decided) {
        CanonicalRecord.Builder b = base(Domain.APPROVAL, "approvals", key, updatedAt, "370783", "SGZRZY")
                .step(Step.RECEIVED, t(accepted), null)
                .step(Step.ACCEPTED, t(accepted), null)
                .limits(new Limits(20, days));
        if (decided != null) {
            b.step(Step.DECIDED, t(decided), null).status(Status.COMPLETED);
        } else {
            b.status(Status.OPEN);
        }
        return b.build();
    }

    /** An approval case with a fee. */
    static CanonicalRecord fee(String key, String updatedAt, String amount) {
        return base(Domain.APPROVAL, "approvals", key, updatedAt, "370783", "SGZRZY")
                .step(Step.RECEIVED, t("2026-03-02 09:00:00"), null)
                .amount(AmountKind.FEE, amount)
                .status(Status.COMPLETED)
                .build();
    }

    /** A purchase of a department from a supplier, in a region. */
    static CanonicalRecord purchase(String key, String updatedAt, String region, String creditCode, Status status) {
        return base(Domain.PROCUREMENT, "procurement", key, updatedAt, region, "CGZX")
                .party(Party.org("某供应商", creditCode))
                .step(Step.CONTRACTED, t("2026-03-02 09:00:00"), null)
                .amount(AmountKind.CONTRACT, "300000.00")
                .status(status)
                .build();
    }

    private static CanonicalRecord.Builder base(Domain domain, String system, String key, String updatedAt,
                                                String region, String department) {
        return CanonicalRecord.builder().domain(domain).regionCode(region)
                .department(new Department(department, "测试部门", false))
                .matter(new Matter("M-1", "测试事项"))
                .party(Party.org("某公司", "91350100M000100Y43"))
                .source(new SourceLineage(system, key, t(updatedAt), t(updatedAt).plusSeconds(5),
                        Payloads.sha256((system + key + updatedAt).getBytes(StandardCharsets.UTF_8))));
    }

    /** Weekends off, nothing else; a version the alerts must name. */
    static final class WeekendCalendar implements WorkingCalendar {
        @Override
        public boolean isWorkingDay(LocalDate day) {
            return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
        }

        @Override
        public boolean missing(int year) {
            return false;
        }

        @Override
        public String version() {
            return "test-calendar-1";
        }
    }

    /** The end (24:00 Beijing) of the {@code days}-th working day after the accepted date. */
    static Instant deadline(OffsetDateTime accepted, int days, WorkingCalendar calendar) {
        LocalDate d = accepted.atZoneSameInstant(AlertClock.BEIJING).toLocalDate();
        for (int left = days; left > 0; ) {
            d = d.plusDays(1);
            if (calendar.isWorkingDay(d)) {
                left--;
            }
        }
        return d.plusDays(1).atStartOfDay(AlertClock.BEIJING).toInstant();
    }

    static Optional<OffsetDateTime> step(CanonicalRecord r, Step step) {
        return r.timeline().stream().filter(e -> e.step() == step).map(TimelineEntry::at).findFirst();
    }

    /** A time-dependent test rule of version 1 for one domain: its id, level and domain given, the rest its own. */
    abstract static class TimedRule implements Rule {
        private record Head(String id, Level level, Domain domain) {
        }

        private final Head head;

        TimedRule(String id, Level level, Domain domain) {
            this.head = new Head(id, level, domain);
        }

        @Override
        public String id() {
            return head.id();
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public Level level() {
            return head.level();
        }

        @Override
        public Set<Domain> domains() {
            return Set.of(head.domain());
        }

        @Override
        public boolean timeDependent() {
            return true;
        }
    }

    /** Late against the promised limit: decided at or after the deadline (resolved then), or open past it. */
    static final class DeadlineRule extends TimedRule {
        DeadlineRule() {
            super(DEADLINE, Level.YELLOW, Domain.APPROVAL);
        }

        @Override
        public List<Outcome> evaluate(CanonicalRecord r, Instant now, RuleContext context) {
            Optional<OffsetDateTime> accepted = step(r, Step.ACCEPTED);
            if (accepted.isEmpty() || r.limits() == null || r.limits().promisedWorkingDays() == null) {
                return List.of();
            }
            Instant deadline = deadline(accepted.get(), r.limits().promisedWorkingDays(), context.calendar());
            Optional<OffsetDateTime> decided = step(r, Step.DECIDED);
            boolean late = decided.map(d -> !d.toInstant().isBefore(deadline))
                    .orElse(r.status() == Status.OPEN && !now.isBefore(deadline));
            if (!late) {
                return List.of(Outcome.none(r.recordId()));
            }
            return List.of(Outcome.found(new Finding(DEADLINE, 1, Level.YELLOW, r.recordId(), List.of(Input.of(r)),
                    deadline, decided.map(OffsetDateTime::toInstant).orElse(null),
                    "承诺时限 " + r.limits().promisedWorkingDays() + " 个工作日，已届满", false,
                    context.calendar().version())));
        }
    }

    /** A fee above a threshold that depends on the rule's version (1: 1000.00, 2 and later: 5000.00). */
    static final class FeeRule implements Rule {
        final AtomicInteger version = new AtomicInteger(1);

        @Override
        public String id() {
            return FEE;
        }

        @Override
        public int version() {
            return version.get();
        }

        @Override
        public Level level() {
            return Level.RED;
        }

        @Override
        public Set<Domain> domains() {
            return Set.of(Domain.APPROVAL);
        }

        @Override
        public List<Outcome> evaluate(CanonicalRecord r, Instant now, RuleContext context) {
            int v = version.get();
            BigDecimal threshold = new BigDecimal(v == 1 ? "1000.00" : "5000.00");
            Optional<BigDecimal> fee = r.amounts().stream().filter(a -> a.kind() == AmountKind.FEE)
                    .map(a -> new BigDecimal(a.value())).findFirst();
            if (fee.isEmpty()) {
                return List.of();
            }
            if (fee.get().compareTo(threshold) <= 0) {
                return List.of(Outcome.none(r.recordId()));
            }
            return List.of(Outcome.found(new Finding(FEE, v, Level.RED, r.recordId(), List.of(Input.of(r)),
                    r.source().updatedAt().toInstant(), null, "收费 " + fee.get() + " 超过 " + threshold, false, null)));
        }
    }

    /** Two or more purchases (not cancelled) of one department from one supplier: one alert per pair. */
    static final class SetRule implements Rule {
        @Override
        public String id() {
            return SET;
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public Level level() {
            return Level.YELLOW;
        }

        @Override
        public Set<Domain> domains() {
            return Set.of(Domain.PROCUREMENT);
        }

        @Override
        public List<Outcome> evaluate(CanonicalRecord r, Instant now, RuleContext context) {
            String key = r.department().code() + "|" + r.party().creditCode();
            List<CanonicalRecord> set = new ArrayList<>(context.byDepartmentAndCreditCode(Domain.PROCUREMENT,
                    r.department().code(), r.party().creditCode()).stream()
                    .filter(x -> x.status() != Status.CANCELLED).toList());
            if (set.size() < 2) {
                return List.of(Outcome.none(key));
            }
            Instant newest = set.stream().map(x -> x.source().updatedAt().toInstant()).max(Instant::compareTo)
                    .orElseThrow();
            return List.of(Outcome.found(new Finding(SET, 1, Level.YELLOW, key,
                    set.stream().map(Input::of).toList(), newest, null, set.size() + " 笔同一供应商采购", false, null)));
        }
    }

    /** The rules and the calendar as beans, as the rule book and the calendar provide theirs. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Rules {
        @Bean
        DeadlineRule testDeadlineRule() {
            return new DeadlineRule();
        }

        @Bean
        FeeRule testFeeRule() {
            return new FeeRule();
        }

        @Bean
        SetRule testSetRule() {
            return new SetRule();
        }

        @Bean
        @Primary
        WorkingCalendar testWeekendCalendar() {
            return new WeekendCalendar();
        }
    }
}

package yingyan.supervision.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.canonical.PartyType;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.supervision.Finding;
import yingyan.supervision.Input;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.RuleContext;
import yingyan.supervision.calendar.Deadlines;

/**
 * The set rules (docs/contracts/supervision.md §3): one alert per key, the set being every matching record of the
 * key whose step date lies in the window of {@code windowDays} days ending on the newest one's (a date d is in
 * when newest − d &lt; windowDays). Inputs are ordered by step time, the newest last (its region and department
 * are the alert's); raisedAt is the newest record's step time.
 */
final class SetRules {
    private SetRules() {
    }

    private record Member(CanonicalRecord record, OffsetDateTime at, BigDecimal amount) {
    }

    /** The records of the key with {@code record} in its current version in place of the stored one. */
    private static List<CanonicalRecord> withCurrent(List<CanonicalRecord> stored, CanonicalRecord record) {
        Map<String, CanonicalRecord> byId = new LinkedHashMap<>();
        stored.forEach(r -> byId.put(r.recordId(), r));
        byId.put(record.recordId(), record);
        return new ArrayList<>(byId.values());
    }

    private static List<Member> window(List<Member> matching, int windowDays) {
        if (matching.isEmpty()) {
            return matching;
        }
        matching.sort(Comparator.comparing(Member::at, OffsetDateTime.timeLineOrder())
                .thenComparing(m -> m.record().recordId()));
        LocalDate newest = Deadlines.beijingDate(matching.get(matching.size() - 1).at());
        return matching.stream()
                .filter(m -> ChronoUnit.DAYS.between(Deadlines.beijingDate(m.at()), newest) < windowDays).toList();
    }

    private static Outcome finding(BaseRule rule, String key, List<Member> set, String message) {
        List<Input> inputs = set.stream().map(m -> Input.of(m.record())).toList();
        Instant raised = set.get(set.size() - 1).at().toInstant();
        return Outcome.found(new Finding(rule.id(), rule.version(), rule.level(), key, inputs, raised, null, message,
                false, null));
    }

    /**
     * SPLIT_PURCHASE: at least {@code minRecords} contracts of one department with one supplier (credit code)
     * within the window, each below the tender threshold and together at or above it.
     */
    static final class SplitPurchase extends BaseRule {
        private final BigDecimal threshold;
        private final int windowDays;
        private final int minRecords;

        SplitPurchase(int version, BigDecimal threshold, int windowDays, int minRecords) {
            super("SPLIT_PURCHASE", version, Level.YELLOW, Domain.PROCUREMENT);
            this.threshold = threshold;
            this.windowDays = windowDays;
            this.minRecords = minRecords;
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            String dept = r.department() == null ? null : r.department().code();
            String credit = r.party() == null ? null : r.party().creditCode();
            if (dept == null || credit == null) {
                return List.of();
            }
            String key = id() + ":" + dept + ":" + credit;
            List<Member> matching = new ArrayList<>();
            for (CanonicalRecord c : withCurrent(ctx.byDepartmentAndCreditCode(Domain.PROCUREMENT, dept, credit), r)) {
                Optional<OffsetDateTime> at = Facts.at(c, Step.CONTRACTED);
                Optional<BigDecimal> amount = Facts.amount(c, AmountKind.CONTRACT);
                if (at.isPresent() && amount.isPresent() && amount.get().compareTo(threshold) < 0) {
                    matching.add(new Member(c, at.get(), amount.get()));
                }
            }
            List<Member> set = window(matching, windowDays);
            BigDecimal sum = set.stream().map(Member::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (set.size() < minRecords || sum.compareTo(threshold) < 0) {
                return List.of(Outcome.none(key));
            }
            return List.of(finding(this, key, set, "同一单位与同一供应商 " + windowDays + " 日内签订 " + set.size()
                    + " 份合同，合计 " + Facts.yuan(sum) + " 元，每份均低于公开招标限额 " + Facts.yuan(threshold)
                    + " 元，疑似拆分采购"));
        }
    }

    /** REPEAT_WITHDRAWAL: one person (resident-ID hash) with more than N completed withdrawals within the window. */
    static final class RepeatWithdrawal extends BaseRule {
        private final int maxWithdrawals;
        private final int windowDays;

        RepeatWithdrawal(int version, int maxWithdrawals, int windowDays) {
            super("REPEAT_WITHDRAWAL", version, Level.YELLOW, Domain.HOUSING_FUND);
            this.maxWithdrawals = maxWithdrawals;
            this.windowDays = windowDays;
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            String hash = r.party() == null || r.party().type() != PartyType.PERSON ? null : r.party().idHash();
            if (hash == null) {
                return List.of();
            }
            String key = id() + ":" + hash;
            List<Member> matching = new ArrayList<>();
            for (CanonicalRecord c : withCurrent(ctx.byPartyIdHash(Domain.HOUSING_FUND, hash), r)) {
                Optional<OffsetDateTime> paid = Facts.at(c, Step.PAID);
                Optional<BigDecimal> amount = Facts.amount(c, AmountKind.WITHDRAWAL);
                if (c.status() == Status.COMPLETED && paid.isPresent() && amount.isPresent()) {
                    matching.add(new Member(c, paid.get(), amount.get()));
                }
            }
            List<Member> set = window(matching, windowDays);
            if (set.size() <= maxWithdrawals) {
                return List.of(Outcome.none(key));
            }
            BigDecimal sum = set.stream().map(Member::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            return List.of(finding(this, key, set, "同一缴存人 " + windowDays + " 日内完成提取 " + set.size()
                    + " 次，合计 " + Facts.yuan(sum) + " 元，超过 " + maxWithdrawals + " 次"));
        }
    }
}

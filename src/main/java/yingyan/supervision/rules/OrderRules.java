package yingyan.supervision.rules;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.canonical.Step;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.RuleContext;

/** The rules on the order of a record's steps (docs/contracts/supervision.md §3). */
final class OrderRules {
    private OrderRules() {
    }

    static final Map<Step, String> NAMES = new EnumMap<>(Map.ofEntries(Map.entry(Step.RECEIVED, "收件"),
            Map.entry(Step.ACCEPTED, "受理"), Map.entry(Step.FILED, "立案"), Map.entry(Step.NOTIFIED, "告知"),
            Map.entry(Step.HEARD, "听证"), Map.entry(Step.REVIEWED, "评审"), Map.entry(Step.DECIDED, "决定"),
            Map.entry(Step.ANNOUNCED, "公告"), Map.entry(Step.CONTRACTED, "签约"), Map.entry(Step.PAID, "支付"),
            Map.entry(Step.EXECUTED, "执行"), Map.entry(Step.COMPLETED, "办结")));

    /** Each domain's sequence of steps. */
    static final Map<Domain, List<Step>> SEQUENCES = new EnumMap<>(Domain.class);

    static {
        List<Step> trading = List.of(Step.ANNOUNCED, Step.REVIEWED, Step.DECIDED, Step.CONTRACTED, Step.PAID);
        SEQUENCES.put(Domain.APPROVAL, List.of(Step.RECEIVED, Step.ACCEPTED, Step.DECIDED, Step.COMPLETED));
        SEQUENCES.put(Domain.HOUSING_FUND, List.of(Step.RECEIVED, Step.DECIDED, Step.PAID));
        for (Domain d : List.of(Domain.LAND_TRANSFER, Domain.PROCUREMENT, Domain.BIDDING, Domain.MINING_RIGHT,
                Domain.STATE_PROPERTY)) {
            SEQUENCES.put(d, trading);
        }
        SEQUENCES.put(Domain.PENALTY, List.of(Step.FILED, Step.NOTIFIED, Step.HEARD, Step.DECIDED, Step.EXECUTED));
        SEQUENCES.put(Domain.PUBLIC_FUND, List.of(Step.ACCEPTED, Step.PAID));
    }

    /** PAYMENT_BEFORE_APPROVAL: a public fund PAID earlier than ACCEPTED; raised at ACCEPTED (when it became so). */
    static final class PaymentBeforeApproval extends BaseRule {
        PaymentBeforeApproval(int version) {
            super("PAYMENT_BEFORE_APPROVAL", version, Level.RED, Domain.PUBLIC_FUND);
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Optional<OffsetDateTime> paid = Facts.at(r, Step.PAID);
            Optional<OffsetDateTime> accepted = Facts.at(r, Step.ACCEPTED);
            return List.of(paid.isPresent() && accepted.isPresent() && paid.get().isBefore(accepted.get())
                    ? Facts.found(this, r, accepted.get().toInstant(), "支付时间 " + Facts.minute(paid.get())
                    + " 早于受理审批时间 " + Facts.minute(accepted.get())) : Outcome.none(r.recordId()));
        }
    }

    /**
     * TIMELINE_ORDER: a step earlier in time than a step its domain's sequence puts before it (equal times are
     * no finding: the step order breaks ties). The pair PAID/ACCEPTED of a public fund is left to
     * PAYMENT_BEFORE_APPROVAL while that rule is on. raisedAt: the first moment an inversion existed, the time
     * of the later step of the earliest-completed pair.
     */
    static final class TimelineOrder extends BaseRule {
        private final boolean paymentRuleOn;

        TimelineOrder(int version, boolean paymentRuleOn) {
            super("TIMELINE_ORDER", version, Level.YELLOW, Domain.APPROVAL, Domain.HOUSING_FUND, Domain.LAND_TRANSFER,
                    Domain.PROCUREMENT, Domain.PENALTY, Domain.PUBLIC_FUND, Domain.BIDDING, Domain.MINING_RIGHT,
                    Domain.STATE_PROPERTY);
            this.paymentRuleOn = paymentRuleOn;
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            List<Step> seq = SEQUENCES.get(r.domain());
            OffsetDateTime raised = null;
            String message = null;
            for (int i = 0; i < seq.size(); i++) {
                for (int j = i + 1; j < seq.size(); j++) {
                    Optional<OffsetDateTime> first = Facts.at(r, seq.get(i));
                    Optional<OffsetDateTime> later = Facts.at(r, seq.get(j));
                    boolean covered = paymentRuleOn && r.domain() == Domain.PUBLIC_FUND;
                    if (first.isEmpty() || later.isEmpty() || covered || !later.get().isBefore(first.get())) {
                        continue;
                    }
                    // seq[j] happened before seq[i]: the inversion exists from seq[i]'s time on
                    if (raised == null || first.get().isBefore(raised)) {
                        raised = first.get();
                        message = NAMES.get(seq.get(j)) + "（" + Facts.minute(later.get()) + "）早于"
                                + NAMES.get(seq.get(i)) + "（" + Facts.minute(first.get()) + "），与办理顺序不符";
                    }
                }
            }
            return List.of(raised == null ? Outcome.none(r.recordId())
                    : Facts.found(this, r, raised.toInstant(), message));
        }
    }
}

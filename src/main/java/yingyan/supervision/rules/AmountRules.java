package yingyan.supervision.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.supervision.Level;
import yingyan.supervision.Outcome;
import yingyan.supervision.RuleContext;

/**
 * The risk rules on one record's amounts (docs/contracts/supervision.md §3). An absent amount is no finding.
 * raisedAt is the version's {@code source.updatedAt}: when the source recorded what meets the rule.
 */
final class AmountRules {
    private AmountRules() {
    }

    /** UNAUTHORISED_FEE: a fee above 0.00 on a free matter, or above a matter's standard (fees.yaml). */
    static final class UnauthorisedFee extends BaseRule {
        private final Set<String> free;
        private final Map<String, BigDecimal> standard;

        UnauthorisedFee(int version, Set<String> free, Map<String, BigDecimal> standard) {
            super("UNAUTHORISED_FEE", version, Level.RED, Domain.APPROVAL);
            this.free = Set.copyOf(free);
            this.standard = Map.copyOf(standard);
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Optional<BigDecimal> fee = Facts.amount(r, AmountKind.FEE);
            String code = r.matter() == null ? null : r.matter().code();
            if (fee.isPresent() && code != null) {
                if (free.contains(code) && fee.get().signum() > 0) {
                    return List.of(Facts.found(this, r, "免费事项 " + code + " 收费 " + Facts.yuan(fee.get()) + " 元"));
                }
                BigDecimal max = standard.get(code);
                if (max != null && fee.get().compareTo(max) > 0) {
                    return List.of(Facts.found(this, r, "事项 " + code + " 收费 " + Facts.yuan(fee.get())
                            + " 元，超过收费标准 " + Facts.yuan(max) + " 元"));
                }
            }
            return List.of(Outcome.none(r.recordId()));
        }
    }

    /** SINGLE_SOURCE_LARGE: a single-source (-DYLY) matter with BUDGET at or above the threshold. */
    static final class SingleSourceLarge extends BaseRule {
        private final BigDecimal threshold;

        SingleSourceLarge(int version, BigDecimal threshold) {
            super("SINGLE_SOURCE_LARGE", version, Level.YELLOW, Domain.PROCUREMENT, Domain.BIDDING);
            this.threshold = threshold;
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Optional<BigDecimal> budget = Facts.amount(r, AmountKind.BUDGET);
            boolean singleSource = r.matter() != null && r.matter().code() != null
                    && r.matter().code().endsWith("-DYLY");
            return List.of(singleSource && budget.isPresent() && budget.get().compareTo(threshold) >= 0
                    ? Facts.found(this, r, "单一来源采购，预算 " + Facts.yuan(budget.get()) + " 元，达到 "
                    + Facts.yuan(threshold) + " 元") : Outcome.none(r.recordId()));
        }
    }

    /** OVER_BUDGET: PROCUREMENT's CONTRACT, BIDDING's DEAL_PRICE above BUDGET. */
    static final class OverBudget extends BaseRule {
        OverBudget(int version) {
            super("OVER_BUDGET", version, Level.YELLOW, Domain.PROCUREMENT, Domain.BIDDING);
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            AmountKind kind = r.domain() == Domain.BIDDING ? AmountKind.DEAL_PRICE : AmountKind.CONTRACT;
            Optional<BigDecimal> price = Facts.amount(r, kind);
            Optional<BigDecimal> budget = Facts.amount(r, AmountKind.BUDGET);
            return List.of(price.isPresent() && budget.isPresent() && price.get().compareTo(budget.get()) > 0
                    ? Facts.found(this, r, (kind == AmountKind.CONTRACT ? "合同金额 " : "成交价 ")
                    + Facts.yuan(price.get()) + " 元，超过预算 " + Facts.yuan(budget.get()) + " 元")
                    : Outcome.none(r.recordId()));
        }
    }

    /** LAND_BELOW_START: DEAL_PRICE below START_PRICE (land, mining rights). */
    static final class LandBelowStart extends BaseRule {
        LandBelowStart(int version) {
            super("LAND_BELOW_START", version, Level.RED, Domain.LAND_TRANSFER, Domain.MINING_RIGHT);
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Optional<BigDecimal> deal = Facts.amount(r, AmountKind.DEAL_PRICE);
            Optional<BigDecimal> start = Facts.amount(r, AmountKind.START_PRICE);
            return List.of(deal.isPresent() && start.isPresent() && deal.get().compareTo(start.get()) < 0
                    ? Facts.found(this, r, "成交价 " + Facts.yuan(deal.get()) + " 元，低于起始价 "
                    + Facts.yuan(start.get()) + " 元") : Outcome.none(r.recordId()));
        }
    }

    /** STATE_ASSET_BELOW_APPRAISAL: START_PRICE or DEAL_PRICE below a share (90 %) of APPRAISAL. */
    static final class StateAssetBelowAppraisal extends BaseRule {
        private final BigDecimal share;

        StateAssetBelowAppraisal(int version, BigDecimal share) {
            super("STATE_ASSET_BELOW_APPRAISAL", version, Level.RED, Domain.STATE_PROPERTY);
            this.share = share;
        }

        @Override
        List<Outcome> check(CanonicalRecord r, Instant now, RuleContext ctx) {
            Optional<BigDecimal> appraisal = Facts.amount(r, AmountKind.APPRAISAL);
            if (appraisal.isPresent()) {
                BigDecimal floor = appraisal.get().multiply(share);
                for (AmountKind kind : List.of(AmountKind.START_PRICE, AmountKind.DEAL_PRICE)) {
                    Optional<BigDecimal> price = Facts.amount(r, kind);
                    if (price.isPresent() && price.get().compareTo(floor) < 0) {
                        return List.of(Facts.found(this, r, (kind == AmountKind.START_PRICE ? "起始价 " : "成交价 ")
                                + Facts.yuan(price.get()) + " 元，低于评估值 " + Facts.yuan(appraisal.get()) + " 元的 "
                                + share.movePointRight(2).stripTrailingZeros().toPlainString() + " %"));
                    }
                }
            }
            return List.of(Outcome.none(r.recordId()));
        }
    }
}

package yingyan.supervision.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.supervision.rules.RuleFixtures.amounts;
import static yingyan.supervision.rules.RuleFixtures.approval;
import static yingyan.supervision.rules.RuleFixtures.context;
import static yingyan.supervision.rules.RuleFixtures.i;
import static yingyan.supervision.rules.RuleFixtures.t;
import static yingyan.supervision.rules.RuleFixtures.trading;
import static yingyan.supervision.rules.TimeLimitRulesTest.one;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.supervision.Finding;
import yingyan.supervision.Level;
import yingyan.supervision.Rule;

/** The single-record risk rules of §3, on records shaped like the golden cases'. */
class RiskRulesTest {
    private static final Instant NOW = i("2026-04-01T00:00:00");

    @Test
    void unauthorisedFee() {
        Rule rule = new AmountRules.UnauthorisedFee(1, Set.of("370700-XK-0031"),
                Map.of("370700-XK-0012", new BigDecimal("1000.00")));
        CanonicalRecord overStandard = approval("SG-1").amount(AmountKind.FEE, "1200.00").status(Status.OPEN).build();
        CanonicalRecord atStandard = approval("SG-2").amount(AmountKind.FEE, "1000.00").status(Status.OPEN).build();
        CanonicalRecord noFee = approval("SG-3").status(Status.OPEN).build();

        Finding f = one(rule.evaluate(overStandard, NOW, context()));
        assertThat(f.level()).isEqualTo(Level.RED);
        assertThat(f.message()).isEqualTo("事项 370700-XK-0012 收费 1200.00 元，超过收费标准 1000.00 元");
        assertThat(f.raisedAt()).isEqualTo(overStandard.source().updatedAt().toInstant());
        assertNone(rule, atStandard, noFee);
    }

    @Test
    void unauthorisedFeeOnAFreeMatterButNotAZeroFee() {
        Rule rule = new AmountRules.UnauthorisedFee(1, Set.of("370700-XK-0012"), Map.of());
        assertThat(one(rule.evaluate(approval("SG-1").amount(AmountKind.FEE, "0.01").status(Status.OPEN).build(),
                NOW, context())).message()).isEqualTo("免费事项 370700-XK-0012 收费 0.01 元");
        assertNone(rule, approval("SG-2").amount(AmountKind.FEE, "0.00").status(Status.OPEN).build());
    }

    @Test
    void singleSourceLarge() {
        Rule rule = new AmountRules.SingleSourceLarge(1, new BigDecimal("1000000.00"));
        CanonicalRecord large = amounts(trading(Domain.PROCUREMENT, "SGCG-2026-0009", "ZFCG-DYLY"),
                AmountKind.BUDGET, "1000000.00").build();
        CanonicalRecord small = amounts(trading(Domain.PROCUREMENT, "SGCG-2026-0010", "ZFCG-DYLY"),
                AmountKind.BUDGET, "999999.99").build();
        CanonicalRecord open = amounts(trading(Domain.PROCUREMENT, "SGCG-2026-0011", "ZFCG-GKZB"),
                AmountKind.BUDGET, "5000000.00").build();

        assertThat(one(rule.evaluate(large, NOW, context())).message())
                .isEqualTo("单一来源采购，预算 1000000.00 元，达到 1000000.00 元");
        assertNone(rule, small, open);
    }

    @Test
    void overBudgetReadsContractForProcurementAndDealPriceForBidding() {
        Rule rule = new AmountRules.OverBudget(1);
        CanonicalRecord procurement = amounts(trading(Domain.PROCUREMENT, "P1", "ZFCG-GKZB"),
                AmountKind.BUDGET, "1234500.00", AmountKind.CONTRACT, "1234500.01").build();
        CanonicalRecord bidding = amounts(trading(Domain.BIDDING, "WF-GC-2026-0123", "GGZY-BIDDING-GKZB"),
                AmountKind.BUDGET, "12345678.00", AmountKind.DEAL_PRICE, "12400000.00").build();
        CanonicalRecord biddingContract = amounts(trading(Domain.BIDDING, "B2", "GGZY-BIDDING-GKZB"),
                AmountKind.BUDGET, "100.00", AmountKind.CONTRACT, "200.00").build();

        assertThat(one(rule.evaluate(procurement, NOW, context())).message())
                .isEqualTo("合同金额 1234500.01 元，超过预算 1234500.00 元");
        assertThat(one(rule.evaluate(bidding, NOW, context())).message())
                .isEqualTo("成交价 12400000.00 元，超过预算 12345678.00 元");
        assertNone(rule, biddingContract);
    }

    @Test
    void landBelowStart() {
        Rule rule = new AmountRules.LandBelowStart(1);
        CanonicalRecord below = amounts(trading(Domain.MINING_RIGHT, "WF-KY-2026-0007", "GGZY-MINING-PM"),
                AmountKind.START_PRICE, "26000000.00", AmountKind.DEAL_PRICE, "25999999.99").build();
        CanonicalRecord noDeal = amounts(trading(Domain.LAND_TRANSFER, "SG2026-018", "TDCR-PM"),
                AmountKind.START_PRICE, "9800000.00").build();

        Finding f = one(rule.evaluate(below, NOW, context()));
        assertThat(f.level()).isEqualTo(Level.RED);
        assertThat(f.message()).isEqualTo("成交价 25999999.99 元，低于起始价 26000000.00 元");
        assertNone(rule, noDeal);
        assertThat(rule.evaluate(amounts(trading(Domain.PROCUREMENT, "X", "ZFCG"), AmountKind.START_PRICE, "2.00",
                AmountKind.DEAL_PRICE, "1.00").build(), NOW, context())).as("another domain: no key").isEmpty();
    }

    @Test
    void stateAssetBelowNinetyPercentOfAppraisal() {
        Rule rule = new AmountRules.StateAssetBelowAppraisal(1, new BigDecimal("0.90"));
        CanonicalRecord startLow = amounts(trading(Domain.STATE_PROPERTY, "CQ-1", "GGZY-PROPERTY"),
                AmountKind.START_PRICE, "899999.99", AmountKind.APPRAISAL, "1000000.00").build();
        CanonicalRecord atNinety = amounts(trading(Domain.STATE_PROPERTY, "CQ-2", "GGZY-PROPERTY"),
                AmountKind.START_PRICE, "900000.00", AmountKind.DEAL_PRICE, "950000.00",
                AmountKind.APPRAISAL, "1000000.00").build();

        assertThat(one(rule.evaluate(startLow, NOW, context())).message())
                .isEqualTo("起始价 899999.99 元，低于评估值 1000000.00 元的 90 %");
        assertNone(rule, atNinety);
    }

    @Test
    void paymentBeforeApprovalIsRaisedAtTheLateApproval() {
        Rule rule = new OrderRules.PaymentBeforeApproval(1);
        CanonicalRecord r = publicFund("ZF2026030100107", "2026-03-01T15:30:00", "2026-03-01T10:12:00");

        Finding f = one(rule.evaluate(r, NOW, context()));

        assertThat(f.raisedAt()).isEqualTo(i("2026-03-01T15:30:00"));
        assertThat(f.message()).isEqualTo("支付时间 2026-03-01 10:12 早于受理审批时间 2026-03-01 15:30");
        assertNone(rule, publicFund("ZF2", "2026-03-01T10:12:00", "2026-03-01T15:30:00"));
    }

    @Test
    void timelineOrderLeavesThePublicFundPairToPaymentBeforeApproval() {
        CanonicalRecord fund = publicFund("ZF3", "2026-03-01T15:30:00", "2026-03-01T10:12:00");

        assertNone(new OrderRules.TimelineOrder(1, true), fund);
        assertThat(one(new OrderRules.TimelineOrder(1, false).evaluate(fund, NOW, context())).message())
                .isEqualTo("支付（2026-03-01 10:12）早于受理（2026-03-01 15:30），与办理顺序不符");
    }

    @Test
    void timelineOrderOnALandParcelPaidBeforeItsContract() {
        Rule rule = new OrderRules.TimelineOrder(1, true);
        CanonicalRecord r = trading(Domain.LAND_TRANSFER, "SG2026-017", "TDCR-GP")
                .step(Step.ANNOUNCED, t("2026-01-15T09:00:00"), null).step(Step.PAID, t("2026-02-10T10:00:00"), null)
                .step(Step.CONTRACTED, t("2026-02-20T10:30:00"), null).build();
        CanonicalRecord sameTime = trading(Domain.LAND_TRANSFER, "SG2026-019", "TDCR-GP")
                .step(Step.CONTRACTED, t("2026-02-20T10:30:00"), null).step(Step.PAID, t("2026-02-20T10:30:00"), null)
                .build();

        Finding f = one(rule.evaluate(r, NOW, context()));
        assertThat(f.level()).isEqualTo(Level.YELLOW);
        assertThat(f.raisedAt()).isEqualTo(i("2026-02-20T10:30:00"));
        assertThat(f.message()).isEqualTo("支付（2026-02-10 10:00）早于签约（2026-02-20 10:30），与办理顺序不符");
        assertNone(rule, sameTime);
    }

    static CanonicalRecord publicFund(String key, String accepted, String paid) {
        return CanonicalRecord.builder().domain(Domain.PUBLIC_FUND).regionCode("370700")
                .department(new yingyan.canonical.Department("106001", "潍坊市某某局", false))
                .matter(new yingyan.canonical.Matter("GKZF-2120303", "城乡社区公共设施"))
                .party(yingyan.canonical.Party.org("某某工程有限公司", "91350100M000100Y43"))
                .amount(AmountKind.PAYMENT, "356000.00").step(Step.ACCEPTED, t(accepted), "王五")
                .step(Step.PAID, t(paid), null).status(Status.COMPLETED)
                .source(RuleFixtures.source("public-funds", key, "2026-03-01T15:30:02")).build();
    }

    private static void assertNone(Rule rule, CanonicalRecord... records) {
        for (CanonicalRecord r : records) {
            assertThat(rule.evaluate(r, NOW, context())).as(r.recordId())
                    .singleElement().satisfies(o -> assertThat(o.finding()).isEmpty());
        }
    }

    static List<CanonicalRecord> list(CanonicalRecord... r) {
        return List.of(r);
    }
}

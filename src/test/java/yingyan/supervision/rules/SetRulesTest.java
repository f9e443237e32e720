package yingyan.supervision.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.supervision.rules.RuleFixtures.amounts;
import static yingyan.supervision.rules.RuleFixtures.context;
import static yingyan.supervision.rules.RuleFixtures.i;
import static yingyan.supervision.rules.RuleFixtures.t;
import static yingyan.supervision.rules.RuleFixtures.trading;
import static yingyan.supervision.rules.TimeLimitRulesTest.one;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.supervision.Finding;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;

/** The set rules: one alert per key, over the window ending at the newest matching record. */
class SetRulesTest {
    private final Rule split = new SetRules.SplitPurchase(1, new BigDecimal("1000000.00"), 30, 3);
    private final Rule repeat = new SetRules.RepeatWithdrawal(1, 2, 365);

    @Test
    void threeContractsJustBelowTheTenderThresholdWithin30Days() {
        CanonicalRecord a = contract("SGCG-2026-0101", "2026-03-01T10:00:00", "400000.00");
        CanonicalRecord b = contract("SGCG-2026-0102", "2026-03-15T10:00:00", "350000.00");
        CanonicalRecord c = contract("SGCG-2026-0103", "2026-03-30T10:00:00", "300000.00");

        List<Outcome> out = split.evaluate(c, i("2026-04-01T00:00:00"), context(List.of(a, b)));

        Finding f = one(out);
        assertThat(f.key()).isEqualTo("SPLIT_PURCHASE:SGJYJ:91350100M000100Y43");
        assertThat(f.recordIds()).containsExactly("procurement:SGCG-2026-0101", "procurement:SGCG-2026-0102",
                "procurement:SGCG-2026-0103");
        assertThat(f.raisedAt()).isEqualTo(i("2026-03-30T10:00:00"));
        assertThat(f.message()).isEqualTo("同一单位与同一供应商 30 日内签订 3 份合同，合计 1050000.00 元，"
                + "每份均低于公开招标限额 1000000.00 元，疑似拆分采购");
    }

    @Test
    void theWindowIs30DaysEndingOnTheNewestSoA31DayOldContractFallsOut() {
        CanonicalRecord a = contract("SGCG-2026-0101", "2026-03-01T10:00:00", "400000.00");
        CanonicalRecord b = contract("SGCG-2026-0102", "2026-03-15T10:00:00", "350000.00");
        CanonicalRecord c = contract("SGCG-2026-0103", "2026-03-31T10:00:00", "300000.00");

        assertThat(split.evaluate(c, i("2026-04-01T00:00:00"), context(List.of(a, b))))
                .containsExactly(Outcome.none("SPLIT_PURCHASE:SGJYJ:91350100M000100Y43"));
    }

    @Test
    void aContractAtTheThresholdIsNotPartOfASplitAndTheSumMustReachIt() {
        CanonicalRecord big = contract("SGCG-2026-0201", "2026-03-01T10:00:00", "1000000.00");
        CanonicalRecord a = contract("SGCG-2026-0202", "2026-03-02T10:00:00", "300000.00");
        CanonicalRecord b = contract("SGCG-2026-0203", "2026-03-03T10:00:00", "300000.00");
        CanonicalRecord c = contract("SGCG-2026-0204", "2026-03-04T10:00:00", "300000.00");

        assertThat(split.evaluate(c, i("2026-04-01T00:00:00"), context(List.of(big, a, b))))
                .allMatch(o -> o.finding().isEmpty());
    }

    @Test
    void noCreditCodeNoKey() {
        CanonicalRecord r = CanonicalRecord.builder().domain(Domain.PROCUREMENT).regionCode("370700")
                .department(new Department("WFJGSWJ", "潍坊市机关事务服务中心", false))
                .matter(new Matter("ZFCG-YQZB", "政府采购(邀请招标)")).party(null).status(Status.OPEN)
                .source(RuleFixtures.source("procurement", "WFCG-2026-0002", "2026-03-05T09:00:00")).build();

        assertThat(split.evaluate(r, i("2026-04-01T00:00:00"), context())).isEmpty();
    }

    @Test
    void aThirdCompletedWithdrawalWithinAYearRaisesOnePersonsAlert() {
        CanonicalRecord w1 = withdrawal("TQ-1", "2025-06-10T10:00:00", Status.COMPLETED);
        CanonicalRecord w2 = withdrawal("TQ-2", "2025-12-01T10:00:00", Status.COMPLETED);
        CanonicalRecord rejected = withdrawal("TQ-3", "2026-01-05T10:00:00", Status.REJECTED);
        CanonicalRecord w3 = withdrawal("TQ-4", "2026-03-04T09:00:00", Status.COMPLETED);

        assertThat(repeat.evaluate(w2, i("2026-01-01T00:00:00"), context(List.of(w1))))
                .allMatch(o -> o.finding().isEmpty());
        Finding f = one(repeat.evaluate(w3, i("2026-04-01T00:00:00"), context(List.of(w1, w2, rejected))));

        assertThat(f.key()).isEqualTo("REPEAT_WITHDRAWAL:" + HASH);
        assertThat(f.recordIds()).containsExactly("housing-fund:TQ-1", "housing-fund:TQ-2", "housing-fund:TQ-4");
        assertThat(f.message()).isEqualTo("同一缴存人 365 日内完成提取 3 次，合计 90000.00 元，超过 2 次")
                .doesNotContain("370705");
    }

    @Test
    void aCorrectionThatDropsAContractClearsTheSetAlert() {
        CanonicalRecord a = contract("SGCG-2026-0101", "2026-03-01T10:00:00", "400000.00");
        CanonicalRecord b = contract("SGCG-2026-0102", "2026-03-15T10:00:00", "350000.00");
        CanonicalRecord c = contract("SGCG-2026-0103", "2026-03-30T10:00:00", "300000.00");
        // b corrected: its contract is now 1,200,000.00 (above the threshold)
        CanonicalRecord bCorrected = contract("SGCG-2026-0102", "2026-03-15T10:00:00", "1200000.00");

        assertThat(split.evaluate(bCorrected, i("2026-04-01T00:00:00"), context(List.of(a, b, c))))
                .containsExactly(Outcome.none("SPLIT_PURCHASE:SGJYJ:91350100M000100Y43"));
    }

    private static final String HASH = "e03b411dae7250fb431cc557cc0f243a314d041bde6441f550c2600113a57c78";

    static CanonicalRecord contract(String key, String contracted, String value) {
        return amounts(trading(Domain.PROCUREMENT, key, "ZFCG-GKZB"), AmountKind.CONTRACT, value)
                .department(new Department("SGJYJ", "寿光市教育和体育局", false))
                .party(Party.org("潍坊某某教学设备有限公司", "91350100M000100Y43"))
                .source(RuleFixtures.source("procurement", key, contracted))
                .step(Step.ANNOUNCED, t(contracted).minusDays(10), null).step(Step.CONTRACTED, t(contracted), null)
                .build();
    }

    static CanonicalRecord withdrawal(String key, String paid, Status status) {
        return CanonicalRecord.builder().domain(Domain.HOUSING_FUND).regionCode("370705")
                .department(new Department("GJJ", "潍坊市住房公积金管理中心", false))
                .matter(new Matter("GJJ-TQ-05", "离市提取"))
                .party(new Party(yingyan.canonical.PartyType.PERSON, "陈静", null, "370705********0056", HASH))
                .amount(AmountKind.WITHDRAWAL, "30000.00").step(Step.RECEIVED, t(paid).minusDays(2), null)
                .step(Step.DECIDED, t(paid).minusDays(1), "赵审批").step(Step.PAID, t(paid), null).status(status)
                .source(RuleFixtures.source("housing-fund", key, paid)).build();
    }
}

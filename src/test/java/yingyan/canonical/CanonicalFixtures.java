package yingyan.canonical;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * Records and codes shared by the canonical-model tests. Check characters are computed here from
 * docs/contracts/reference-codes.md, not by the code under test.
 */
final class CanonicalFixtures {
    static final ResidentIdProtector PROTECTOR = new ResidentIdProtector("test-only-hmac-key-not-a-secret");

    private CanonicalFixtures() {
    }

    static OffsetDateTime t(String sourceTime) {
        return CanonicalTime.parseSource(sourceTime);
    }

    static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static SourceLineage source(String system, String key, String updatedAt, OffsetDateTime fetchedAt) {
        return new SourceLineage(system, key, t(updatedAt), fetchedAt, sha256(system + "|" + key + "|" + updatedAt));
    }

    /** The example of docs/contracts/canonical-model.md, with a real payload hash. */
    static CanonicalRecord specExample() {
        return CanonicalRecord.builder()
                .domain(Domain.APPROVAL)
                .regionCode("370783")
                .department(new Department("SGZRZY", "寿光市自然资源局", false))
                .matter(new Matter("370700-XK-0012", "建设工程规划许可证核发"))
                .party(Party.org("寿光市某某置业有限公司", "91350100M000100Y43"))
                .amount(AmountKind.FEE, "1200.00")
                .step(Step.RECEIVED, t("2026-03-02 09:15:00"), "窗口-张三")
                .step(Step.ACCEPTED, t("2026-03-02 10:02:11"), null)
                .step(Step.DECIDED, t("2026-03-09 16:40:00"), "李四")
                .step(Step.COMPLETED, t("2026-03-10 09:00:00"), null)
                .limits(new Limits(20, 10))
                .status(Status.COMPLETED)
                .source(new SourceLineage("approvals", "SG-2026-000123", t("2026-03-10 09:00:03"),
                        t("2026-03-10 09:01:00"), SPEC_EXAMPLE_SHA256))
                .build();
    }

    static final String SPEC_EXAMPLE_SHA256 = sha256("approvals SG-2026-000123 as received");

    /** Valid records covering every domain, both party types, a missing party, null limits, empty and full lists. */
    static List<CanonicalRecord> varied() {
        CanonicalRecord withdrawal = CanonicalRecord.builder()
                .domain(Domain.HOUSING_FUND)
                .regionCode("370702")
                .department(new Department("WFGJJ-WC", "潍坊市住房公积金管理中心潍城管理部", true))
                .matter(new Matter("TQ-03", "离职提取"))
                .party(Party.person("王五", PROTECTOR.protect("idNo", "11010519491231002x", false)))
                .amount(AmountKind.WITHDRAWAL, "35210.50")
                .step(Step.RECEIVED, t("2026-04-01 08:30:00"), "柜员07")
                .step(Step.DECIDED, t("2026-04-01 08:30:00"), "柜员07")
                .step(Step.PAID, t("2026-04-02 15:00:00"), null)
                .status(Status.COMPLETED)
                .source(source("housing-fund", "TQ20260401-0007", "2026-04-02 15:00:00",
                        t("2026-04-02 15:05:00").plusNanos(123_000_000)))
                .build();
        CanonicalRecord loan = CanonicalRecord.builder()
                .domain(Domain.HOUSING_FUND)
                .regionCode("370700")
                .department(new Department("WFGJJ", "潍坊市住房公积金管理中心", true))
                .matter(new Matter("DK-01", "个人住房公积金贷款"))
                .party(Party.person("赵六", PROTECTOR.protect("idNo", "440524188001010014", false)))
                .amount(AmountKind.LOAN, "600000.00")
                .amount(AmountKind.FEE, "0.00")
                .step(Step.ACCEPTED, t("2026-05-06 10:00:00"), null)
                .step(Step.RECEIVED, t("2026-05-06 09:00:00"), null)
                .limits(Limits.ofNullable(15, null))
                .status(Status.OPEN)
                // read on a host whose clock is UTC, to the millisecond
                .source(source("housing-fund", "DK-2026-0042", "2026-05-06 10:00:00",
                        OffsetDateTime.of(2026, 5, 6, 2, 1, 0, 7_000_000, ZoneOffset.UTC)))
                .build();
        CanonicalRecord failedAuction = CanonicalRecord.builder()
                .domain(Domain.LAND_TRANSFER)
                .regionCode("370784")
                .department(new Department("AQZRZY", "安丘市自然资源局", false))
                .matter(new Matter("GP-2026-07", "国有建设用地使用权挂牌出让"))
                .party(null)
                .amount(AmountKind.START_PRICE, "12800000.00")
                .amount(AmountKind.DEAL_PRICE, null)
                .amount(AmountKind.CONTRACT, "")
                .step(Step.ANNOUNCED, t("2026-02-01 09:00:00"), "安丘市公共资源交易中心")
                .step(Step.CONTRACTED, null, null)
                .limits(null)
                .status(Status.CANCELLED)
                .source(source("land", "AQ-GP-2026-07", "2026-03-05 17:30:00", t("2026-03-05 18:00:00")))
                .build();
        CanonicalRecord procurement = CanonicalRecord.builder()
                .domain(Domain.PROCUREMENT)
                .regionCode("370781")
                .department(new Department("QZJYJ", "青州市教育和体育局", false))
                .matter(new Matter("QZCG-2026-0315", "教学设备采购"))
                .party(Party.org("青州某某科技有限公司", null))
                .amount(AmountKind.PAYMENT, "1180000.00")
                .amount(AmountKind.BUDGET, "1250000.00")
                .amount(AmountKind.CONTRACT, "1196000.00")
                .step(Step.PAID, t("2026-06-30 11:00:00"), null)
                .step(Step.ANNOUNCED, t("2026-04-15 09:00:00"), null)
                .step(Step.CONTRACTED, t("2026-05-10 14:20:00"), "采购办")
                .limits(Limits.ofNullable(null, 30))
                .status(Status.COMPLETED)
                .source(source("procurement", "QZCG-2026-0315", "2026-06-30 11:00:00", t("2026-06-30 12:00:00")))
                .build();
        CanonicalRecord penalty = CanonicalRecord.builder()
                .domain(Domain.PENALTY)
                .regionCode("370786")
                .department(new Department("CYSCJG", "昌邑市市场监督管理局", false))
                .matter(new Matter("CF-0101", "销售不合格产品的处罚"))
                .party(Party.person("孙七", PROTECTOR.protect("idNo", "110105491231002", true)))
                .amount(AmountKind.CONFISCATION, "3400.00")
                .amount(AmountKind.FINE, "20000.00")
                .step(Step.FILED, t("2026-01-05 09:00:00"), null)
                .step(Step.NOTIFIED, t("2026-01-20 10:00:00"), null)
                .step(Step.HEARD, t("2026-02-03 14:00:00"), null)
                .step(Step.REVIEWED, t("2026-02-10 09:00:00"), null)
                .step(Step.DECIDED, t("2026-02-12 16:00:00"), "执法大队")
                .step(Step.EXECUTED, t("2026-03-01 09:00:00"), null)
                .step(Step.COMPLETED, t("2026-03-01 09:00:00"), null)
                .limits(new Limits(90, 60))
                .status(Status.COMPLETED)
                .source(source("penalties", "CY-CF-2026-001", "2026-03-01 09:00:00",
                        t("2026-03-01 09:10:00").plusNanos(1_000_000)))
                .build();
        CanonicalRecord publicFund = CanonicalRecord.builder()
                .domain(Domain.PUBLIC_FUND)
                .regionCode("370000")
                .department(new Department("SDCZT", "山东省财政厅", true))
                .matter(new Matter("ZJ-2026", "专项资金拨付"))
                .status(Status.OPEN)
                .source(source("public-funds", "ZJ-2026-001", "2026-07-01 00:00:00",
                        t("2026-07-01 00:00:01").plusNanos(120_000_000)))
                .build();
        CanonicalRecord bidding = CanonicalRecord.builder()
                .domain(Domain.BIDDING)
                .regionCode("370705")
                .department(new Department("KWZJ", "奎文区住房和城乡建设局", false))
                .matter(new Matter("GGZY-BIDDING-GKZB", "奎文区某某道路改造工程施工"))
                .party(Party.org("某某建设集团有限公司", withCreditCheck("91370700MA3C00000")))
                .amount(AmountKind.BUDGET, "12345678.00")
                .amount(AmountKind.DEAL_PRICE, "11800000.00")
                .step(Step.REVIEWED, t("2026-03-21 09:30:00"), null)
                .step(Step.DECIDED, t("2026-03-24 17:00:00"), null)
                .step(Step.ANNOUNCED, t("2026-03-01 09:00:00"), null)
                .status(Status.COMPLETED)
                .source(source("trading", "WF-GC-2026-0123", "2026-03-24 17:00:05", t("2026-03-24 17:01:00")))
                .build();
        CanonicalRecord miningRight = CanonicalRecord.builder()
                .domain(Domain.MINING_RIGHT)
                .regionCode("370724")
                .department(new Department("LQZRZY", "临朐县自然资源局", false))
                .matter(new Matter("GGZY-MINING-PM", "临朐县某某建筑石料矿采矿权"))
                .amount(AmountKind.START_PRICE, "5000000.00")
                .step(Step.ANNOUNCED, t("2026-04-01 09:00:00"), null)
                .status(Status.OPEN)
                .source(source("trading", "WF-KY-2026-0007", "2026-04-01 09:00:00", t("2026-04-01 09:05:00")))
                .build();
        CanonicalRecord stateProperty = CanonicalRecord.builder()
                .domain(Domain.STATE_PROPERTY)
                .regionCode("370700")
                .department(new Department("WFGZW", "潍坊市国有资产监督管理委员会", false))
                .matter(new Matter("GGZY-PROPERTY-GP", "某某国有企业闲置办公楼转让"))
                .party(Party.person("周八", PROTECTOR.protect("idNo", "11010519491231002X", false)))
                .amount(AmountKind.START_PRICE, "3200000.00")
                .amount(AmountKind.DEAL_PRICE, "3350000.00")
                .amount(AmountKind.APPRAISAL, "3100000.00")
                .step(Step.ANNOUNCED, t("2026-05-06 09:00:00"), null)
                .step(Step.DECIDED, t("2026-06-05 10:00:00"), null)
                .step(Step.CONTRACTED, t("2026-06-12 15:00:00"), null)
                .status(Status.COMPLETED)
                .source(source("trading", "WF-CQ-2026-0042", "2026-06-12 15:00:05", t("2026-06-12 15:10:00")))
                .build();
        CanonicalRecord rejected = CanonicalRecord.builder()
                .domain(Domain.APPROVAL)
                .regionCode("370705")
                .department(new Department("KWSPJ", "奎文区行政审批服务局", false))
                .matter(new Matter("370705-XK-0003", "食品经营许可"))
                .party(Party.org("潍坊奎文某某餐饮店", withCreditCheck("92370705MA3C00011")))
                .step(Step.RECEIVED, t("2026-03-02 09:15:00"), "")
                .step(Step.REVIEWED, t("2026-03-03 09:15:00"), "审查员 <甲> & \"乙\"")
                .step(Step.DECIDED, t("2026-03-04 09:15:00"), null)
                .limits(new Limits(0, 0))
                .status(Status.REJECTED)
                .source(source("approvals", "KW-2026-000009", "2026-03-04 09:15:00", t("2026-03-04 09:20:00")))
                .build();
        return List.of(specExample(), withdrawal, loan, failedAuction, procurement, penalty, publicFund, rejected,
                bidding, miningRight, stateProperty);
    }

    /** GB 11643-1999 check character, straight from docs/contracts/reference-codes.md. */
    static char residentIdCheck(String first17) {
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int s = 0;
        for (int i = 0; i < 17; i++) {
            s += (first17.charAt(i) - '0') * w[i];
        }
        return "10X98765432".charAt(s % 11);
    }

    static final String CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /** GB 32100-2015 check character, straight from docs/contracts/reference-codes.md. */
    static char creditCodeCheck(String first17) {
        int[] w = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
        int s = 0;
        for (int i = 0; i < 17; i++) {
            s += CREDIT_ALPHABET.indexOf(first17.charAt(i)) * w[i];
        }
        int check = 31 - s % 31;
        return CREDIT_ALPHABET.charAt(check == 31 ? 0 : check);
    }

    static String withCreditCheck(String first17) {
        return first17 + creditCodeCheck(first17);
    }

    static String withIdCheck(String first17) {
        return first17 + residentIdCheck(first17);
    }
}

package yingyan.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static yingyan.canonical.CanonicalFixtures.t;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordValidatorTest {
    private static final String HASH = CanonicalFixtures.sha256("someone");
    private static final Party PERSON = Party.person("王五", CanonicalFixtures.PROTECTOR.protect("idNo", "11010519491231002X", false));

    @Test
    void specExampleIsValid() {
        CanonicalRecord r = CanonicalFixtures.specExample();

        assertThat(RecordValidator.check(r)).isEmpty();
        assertThat(RecordValidator.requireValid(r)).isSameAs(r);
    }

    /** The contract orders the timeline by time; the step order only breaks ties (canonical-model.md). */
    @Test
    void stepsInAnUnusualOrderAreAValidRecord() {
        CanonicalRecord e = CanonicalFixtures.specExample();
        List<TimelineEntry> acceptedBeforeReceived = List.of(
                new TimelineEntry(Step.ACCEPTED, t("2026-03-02 09:00:00"), null),
                new TimelineEntry(Step.RECEIVED, t("2026-03-02 10:00:00"), null));
        List<TimelineEntry> completedBeforeDecided = List.of(
                new TimelineEntry(Step.RECEIVED, t("2026-03-02 09:15:00"), null),
                new TimelineEntry(Step.COMPLETED, t("2026-03-05 09:00:00"), null),
                new TimelineEntry(Step.DECIDED, t("2026-03-09 16:40:00"), null));
        for (List<TimelineEntry> timeline : List.of(acceptedBeforeReceived, completedBeforeDecided)) {
            CanonicalRecord r = new CanonicalRecord(e.schemaVersion(), e.recordId(), e.domain(), e.regionCode(),
                    e.department(), e.matter(), e.party(), e.amounts(), timeline, e.limits(), e.status(), e.source());
            assertThat(RecordValidator.check(r)).as(timeline.toString()).isEmpty();
        }
    }

    @Test
    void variedFixturesAreValid() {
        assertThat(CanonicalFixtures.varied()).allSatisfy(r -> assertThat(RecordValidator.check(r)).as(r.recordId()).isEmpty());
    }

    /** One change to the spec example, the one field it breaks, and words from the rule. */
    static Stream<Arguments> brokenRules() {
        return Stream.of(
                rule("schemaVersion 2", d -> d.schemaVersion = "2", "schemaVersion", "must be \"1\""),
                rule("no source", d -> d.source = null, "source", "required"),
                rule("blank source system", d -> d.source(" ", "SG-2026-000123"), "source.system", "required"),
                rule("no source key", d -> d.source("approvals", null), "source.key", "required"),
                rule("no updatedAt", d -> d.source = lineage(null, t("2026-03-10 09:01:00"), HASH), "source.updatedAt", "required"),
                rule("updatedAt with milliseconds", d -> d.source = lineage(t("2026-03-10 09:00:03").plusNanos(250_000_000),
                        t("2026-03-10 09:01:00"), HASH), "source.updatedAt", "to the second"),
                rule("no fetchedAt", d -> d.source = lineage(t("2026-03-10 09:00:03"), null, HASH), "source.fetchedAt", "required"),
                rule("elided payload hash", d -> d.source = lineage(t("2026-03-10 09:00:03"), t("2026-03-10 09:01:00"), "9f2c…"),
                        "source.payloadSha256", "64 lower-case hex"),
                rule("upper-case payload hash", d -> d.source = lineage(t("2026-03-10 09:00:03"), t("2026-03-10 09:01:00"),
                        HASH.toUpperCase()), "source.payloadSha256", "64 lower-case hex"),
                rule("no payload hash", d -> d.source = lineage(t("2026-03-10 09:00:03"), t("2026-03-10 09:01:00"), null),
                        "source.payloadSha256", "64 lower-case hex"),
                rule("recordId not system:key", d -> d.recordId = "approvals:SG-2026-000124", "recordId", "{source.system}:{source.key}"),
                rule("no domain", d -> d.domain = null, "domain", "one of"),
                rule("unknown region", d -> d.regionCode = "370799", "regionCode", "unknown"),
                rule("region with a trailing space", d -> d.regionCode = "370783 ", "regionCode", "unknown"),
                rule("no region", d -> d.regionCode = null, "regionCode", "unknown"),
                rule("no department", d -> d.department = null, "department", "required"),
                rule("lower-case department code", d -> d.department = new Department("sgzrzy", "寿光市自然资源局", false),
                        "department.code", "upper-case"),
                rule("department code with a space", d -> d.department = new Department("SG ZRZY", "寿光市自然资源局", false),
                        "department.code", "upper-case"),
                rule("blank department name", d -> d.department = new Department("SGZRZY", "", false), "department.name", "required"),
                rule("no matter", d -> d.matter = null, "matter", "required"),
                rule("no matter code", d -> d.matter = new Matter(null, "建设工程规划许可证核发"), "matter.code", "required"),
                rule("blank matter name", d -> d.matter = new Matter("370700-XK-0012", "  "), "matter.name", "required"),
                rule("party without type", d -> d.party = new Party(null, "某某", null, null, null), "party.type", "PERSON or ORG"),
                rule("party without name", d -> d.party = Party.org(" ", "91350100M000100Y43"), "party.name", "required"),
                rule("bad credit code check character", d -> d.party = Party.org("某某公司", "91350100M000100Y44"),
                        "party.creditCode", "check character"),
                rule("lower-case credit code", d -> d.party = Party.org("某某公司", "91350100m000100y43"),
                        "party.creditCode", "credit code"),
                rule("short credit code", d -> d.party = Party.org("某某公司", "91350100M000100Y4"), "party.creditCode", "credit code"),
                rule("ORG with a resident ID", d -> d.party = new Party(PartyType.ORG, "某某公司", null, PERSON.idMasked(), PERSON.idHash()),
                        "party.idMasked", "ORG carries no resident ID"),
                rule("PERSON with a credit code", d -> d.party = new Party(PartyType.PERSON, "王五", "91350100M000100Y43",
                        PERSON.idMasked(), PERSON.idHash()), "party.creditCode", "PERSON carries no credit code"),
                rule("PERSON without masked ID", d -> d.party = new Party(PartyType.PERSON, "王五", null, null, PERSON.idHash()),
                        "party.idMasked", "masked form"),
                rule("PERSON with lower-case x", d -> d.party = new Party(PartyType.PERSON, "王五", null, "110105********002x",
                        PERSON.idHash()), "party.idMasked", "masked form"),
                rule("PERSON with too few stars", d -> d.party = new Party(PartyType.PERSON, "王五", null, "110105*******1002X",
                        PERSON.idHash()), "party.idMasked", "masked form"),
                rule("PERSON without ID hash", d -> d.party = new Party(PartyType.PERSON, "王五", null, PERSON.idMasked(), null),
                        "party.idHash", "64-hex"),
                rule("PERSON with a short ID hash", d -> d.party = new Party(PartyType.PERSON, "王五", null, PERSON.idMasked(), "ab12"),
                        "party.idHash", "64-hex"),
                rule("PERSON with key id 1 written out", d -> d.party = new Party(PartyType.PERSON, "王五", null,
                        PERSON.idMasked(), "k1:" + PERSON.idHash()), "party.idHash", "64-hex"),
                rule("PERSON with a key id and a short hash", d -> d.party = new Party(PartyType.PERSON, "王五", null,
                        PERSON.idMasked(), "k2:ab12"), "party.idHash", "64-hex"),
                rule("amount with 3 fraction digits", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "1200.000")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount with 1 fraction digit", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "1200.5")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount without fraction", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "1200")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount with a thousands separator", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "1,200.00")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount with a leading zero", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "01200.00")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount with spaces", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, " 1200.00")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount without value", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, null)),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount in USD", d -> d.amounts = List.of(new Amount(AmountKind.FEE, "1200.00", "USD")),
                        "amounts.FEE.currency", "CNY"),
                rule("amount without kind", d -> d.amounts = List.of(Amount.cny(null, "1200.00")), "amounts[0].kind", "one of"),
                rule("amounts out of kind order", d -> d.amounts = List.of(Amount.cny(AmountKind.LOAN, "1.00"),
                        Amount.cny(AmountKind.FEE, "1200.00")), "amounts.FEE", "kind order"),
                rule("amount kind twice", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "1200.00"),
                        Amount.cny(AmountKind.FEE, "30.00")), "amounts.FEE", "one amount per kind"),
                rule("timeline out of time order", d -> d.timeline = List.of(
                        new TimelineEntry(Step.DECIDED, t("2026-03-09 16:40:00"), null),
                        new TimelineEntry(Step.COMPLETED, t("2026-03-02 09:15:00"), null)),
                        "timeline.COMPLETED", "ordered by time"),
                rule("same time, steps out of order", d -> d.timeline = List.of(
                        new TimelineEntry(Step.ACCEPTED, t("2026-03-02 09:15:00"), null),
                        new TimelineEntry(Step.RECEIVED, t("2026-03-02 09:15:00"), null)),
                        "timeline.RECEIVED", "then by step order"),
                rule("step twice", d -> d.timeline = List.of(
                        new TimelineEntry(Step.RECEIVED, t("2026-03-02 09:15:00"), null),
                        new TimelineEntry(Step.RECEIVED, t("2026-03-03 09:15:00"), null)),
                        "timeline.RECEIVED", "one entry per step"),
                rule("timeline time with milliseconds", d -> d.timeline = List.of(
                        new TimelineEntry(Step.RECEIVED, t("2026-03-02 09:15:00").plusNanos(1_000_000), null)),
                        "timeline.RECEIVED", "to the second"),
                rule("entry without time", d -> d.timeline = List.of(new TimelineEntry(Step.RECEIVED, null, null)),
                        "timeline", "needs a step and a time"),
                rule("entry without step", d -> d.timeline = List.of(new TimelineEntry(null, t("2026-03-02 09:15:00"), null)),
                        "timeline", "needs a step and a time"),
                rule("limits with neither limit", d -> d.limits = new Limits(null, null), "limits", "must be null"),
                rule("negative legal limit", d -> d.limits = new Limits(-1, 10), "limits.legalWorkingDays", "negative"),
                rule("negative promised limit", d -> d.limits = new Limits(20, -3), "limits.promisedWorkingDays", "negative"),
                rule("no status", d -> d.status = null, "status", "one of"),
                rule("resident ID in the party name", d -> d.party = Party.org("张三 440524188001010014", null),
                        "party.name", "resident ID number in clear"),
                rule("resident ID in an actor", d -> d.timeline = List.of(new TimelineEntry(Step.RECEIVED,
                        t("2026-03-02 09:15:00"), "窗口-11010519491231002x")), "timeline.RECEIVED.actor", "in clear"),
                rule("resident ID in the matter name", d -> d.matter = new Matter("370700-XK-0012",
                        "代办(440524188001010014)"), "matter.name", "in clear"),
                rule("resident ID as the source key", d -> d.source("approvals", "440524188001010014"),
                        "source.key", "in clear"),
                rule("amount in exponent form", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "1E+3")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("amount with a decimal comma", d -> d.amounts = List.of(Amount.cny(AmountKind.FEE, "12,34")),
                        "amounts.FEE", "exactly 2 fraction digits"),
                rule("department name decoded from bytes not in its encoding", d -> d.department = new Department(
                        "SGZRZY", "寿光市\uFFFD资源局", false), "department.name", "U+FFFD"),
                rule("matter name with a replacement character", d -> d.matter = new Matter("370700-XK-0012",
                        "\uFFFD\uFFFD许可"), "matter.name", "not valid in its declared encoding"),
                rule("party name with a replacement character", d -> d.party = Party.org("某某\uFFFD公司",
                        "91350100M000100Y43"), "party.name", "U+FFFD"),
                rule("actor with a replacement character", d -> d.timeline = List.of(
                        new TimelineEntry(Step.RECEIVED, t("2026-03-02 09:15:00"), "窗口-\uFFFD")),
                        "timeline.RECEIVED.actor", "U+FFFD"));
    }

    @ParameterizedTest
    @MethodSource("brokenRules")
    void refuses(Consumer<Draft> change, String field, String rule) {
        List<Violation> violations = RecordValidator.check(example(change));

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.rule()).contains(rule);
        });
    }

    @Test
    void numbersThatAreNotAResidentIdInClearPassAndTheViolationShowsOnlyTheMaskedForm() {
        for (String name : List.of("张三 440524********0014", "张三 440524188001010015", "订单 44052418800101001412",
                "批次 37078320261304002", "批次 99078319900702002", "批次 37078399990702002", "注册号 370783201399001")) {
            assertThat(RecordValidator.check(example(d -> d.party = Party.org(name, null)))).as(name).isEmpty();
        }
        assertThat(RecordValidator.check(example(d -> d.party = Party.org("张三 440524188001010014", null))))
                .singleElement().satisfies(v -> assertThat(v.describe()).contains("440524********0014")
                        .doesNotContain("440524188001010014"));
    }

    /**
     * 17 digits with a province code and a birth date are an ID without its check character (which anyone can
     * compute), 19 digits starting with a valid ID are that ID with a digit appended, 15 are a legacy ID: all
     * identify a person, so a name holding one is refused like one holding the 18-character form.
     */
    @Test
    void everyShapeOfAResidentIdInANameIsRefusedAndShownMasked() {
        for (String name : List.of("批次 37078319900702002", "订单 4405241880010100141", "旧证 370783900702002",
                "张三 440524-18800101-0014", "张三 ４４０５２４１８８００１０１００１４")) {
            assertThat(RecordValidator.check(example(d -> d.party = Party.org(name, null)))).as(name)
                    .singleElement().satisfies(v -> {
                        assertThat(v.rule()).contains("in clear");
                        assertThat(ResidentIds.findClear(v.describe())).isEmpty();
                    });
        }
    }

    @Test
    void reportsEveryViolationAtOnceAndRequireValidThrowsThem() {
        CanonicalRecord r = example(d -> {
            d.regionCode = "999999";
            d.amounts = List.of(Amount.cny(AmountKind.FEE, "1200.005"));
            d.status = null;
        });

        assertThat(RecordValidator.check(r)).extracting(Violation::field)
                .containsExactlyInAnyOrder("regionCode", "amounts.FEE", "status");
        assertThatThrownBy(() -> RecordValidator.requireValid(r))
                .isInstanceOfSatisfying(InvalidSourceException.class, e -> assertThat(e.violations()).hasSize(3))
                .hasMessageContaining("regionCode = '999999': unknown GB/T 2260 region code")
                .hasMessageContaining("amounts.FEE = '1200.005'");
    }

    @Test
    void aPartyMayBeAbsentAndAnOrgMayLackACreditCode() {
        assertThat(RecordValidator.check(example(d -> d.party = null))).isEmpty();
        assertThat(RecordValidator.check(example(d -> d.party = Party.org("某某公司", null)))).isEmpty();
        assertThat(RecordValidator.check(example(d -> d.party = PERSON))).isEmpty();
    }

    @Test
    void limitsMayBeNullOrHaveOneLimit() {
        assertThat(RecordValidator.check(example(d -> d.limits = null))).isEmpty();
        assertThat(RecordValidator.check(example(d -> d.limits = new Limits(null, 10)))).isEmpty();
        assertThat(RecordValidator.check(example(d -> d.limits = new Limits(0, null)))).isEmpty();
    }

    @Test
    void everyRegionOfTheReferenceTableIsKnown() {
        for (String code : List.of("370000", "370700", "370702", "370703", "370704", "370705", "370724", "370725",
                "370781", "370782", "370783", "370784", "370785", "370786")) {
            assertThat(RecordValidator.check(example(d -> d.regionCode = code))).as(code).isEmpty();
        }
        assertThat(RegionCodes.all()).hasSize(14);
    }

    @Test
    void anExplicitZeroIsKeptAndAMissingOrEmptyAmountIsAbsent() {
        CanonicalRecord r = builderFromExample()
                .amount(AmountKind.BUDGET, "0.00")
                .amount(AmountKind.CONTRACT, null)
                .amount(AmountKind.PAYMENT, "")
                .build();

        assertThat(r.amounts()).containsExactly(Amount.cny(AmountKind.FEE, "1200.00"), Amount.cny(AmountKind.BUDGET, "0.00"));
        assertThat(RecordValidator.check(r)).isEmpty();
    }

    @Test
    void theBuilderOrdersAmountsByKindAndTheTimelineByTimeThenStep() {
        CanonicalRecord r = CanonicalRecord.builder()
                .domain(Domain.PROCUREMENT).regionCode("370783")
                .department(new Department("SGCZJ", "寿光市财政局", false)).matter(new Matter("CG-1", "采购"))
                .amount(AmountKind.PAYMENT, "3.00").amount(AmountKind.BUDGET, "5.00").amount(AmountKind.CONTRACT, "4.00")
                .step(Step.PAID, t("2026-05-01 09:00:00"), null)
                // the same instant as ANNOUNCED, written in UTC: its earlier local time must not put it first
                .step(Step.CONTRACTED, OffsetDateTime.of(2026, 4, 1, 1, 0, 0, 0, ZoneOffset.UTC), null)
                .step(Step.ANNOUNCED, t("2026-04-01 09:00:00"), null)
                .status(Status.COMPLETED)
                .source(CanonicalFixtures.source("procurement", "CG-1", "2026-05-01 09:00:00", t("2026-05-01 10:00:00")))
                .build();

        assertThat(r.amounts()).extracting(Amount::kind)
                .containsExactly(AmountKind.BUDGET, AmountKind.CONTRACT, AmountKind.PAYMENT);
        assertThat(r.timeline()).extracting(TimelineEntry::step)
                .containsExactly(Step.ANNOUNCED, Step.CONTRACTED, Step.PAID);
        assertThat(RecordValidator.check(r)).isEmpty();
    }

    @Test
    void theBuilderKeepsAnUnusualStepOrderByTimeAndTheRecordIsValid() {
        CanonicalRecord r = builderFromExample()
                .step(Step.ANNOUNCED, t("2026-03-01 09:00:00"), null)
                .build();

        assertThat(r.timeline()).extracting(TimelineEntry::step).startsWith(Step.ANNOUNCED, Step.RECEIVED);
        assertThat(RecordValidator.check(r)).isEmpty();
    }

    @Test
    void aFetchTimeFinerThanMillisecondsIsTruncatedWhenBuiltAndRefusedWhenRead() {
        OffsetDateTime micros = t("2026-03-10 09:01:00").plusNanos(123_456_000);
        assertThat(lineage(t("2026-03-10 09:00:03"), micros, HASH).fetchedAt()).isEqualTo(micros.minusNanos(456_000));

        String xml = CanonicalXml.write(CanonicalFixtures.specExample())
                .replace("<fetchedAt>2026-03-10T09:01:00+08:00<", "<fetchedAt>2026-03-10T09:01:00.123456+08:00<");
        assertThat(RecordValidator.check(CanonicalXml.read(xml))).singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("source.fetchedAt"));
    }

    @Test
    void aResidentIdInTheWrongFieldIsMaskedInTheViolation() {
        String clear = "11010519491231002X";
        List<CanonicalRecord> records = List.of(
                example(d -> d.party = Party.org("个体户王五", clear)),
                example(d -> d.party = new Party(PartyType.ORG, "某某公司", null, clear, null)),
                example(d -> d.party = new Party(PartyType.PERSON, "王五", clear, PERSON.idMasked(), PERSON.idHash())),
                example(d -> d.party = new Party(PartyType.PERSON, "王五", null, clear, PERSON.idHash())),
                example(d -> d.party = new Party(PartyType.PERSON, "王五", null, clear.toLowerCase(), clear)));

        for (CanonicalRecord r : records) {
            List<Violation> violations = RecordValidator.check(r);
            assertThat(violations).isNotEmpty();
            assertThat(violations).allSatisfy(v -> assertThat(v.describe()).doesNotContainIgnoringCase(clear));
            assertThatThrownBy(() -> RecordValidator.requireValid(r))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(clear));
        }
    }

    // ---- helpers ----

    /** A hash made with a rotated ID key (key id 2) is as valid as one of the released key 1. */
    @Test
    void acceptsAnIdHashOfARotatedKey() {
        Party rotated = Party.person("王五", new ResidentIdProtector(2, "test-only-rotated-hmac-key-0123")
                .protect("idNo", "11010519491231002X", false));
        assertThat(rotated.idHash()).startsWith("k2:");

        assertThat(RecordValidator.check(example(d -> d.party = rotated))).isEmpty();
    }

    private static Arguments rule(String name, Consumer<Draft> change, String field, String rule) {
        return Arguments.of(Named.of(name, change), field, rule);
    }

    private static SourceLineage lineage(OffsetDateTime updatedAt, OffsetDateTime fetchedAt, String hash) {
        return new SourceLineage("approvals", "SG-2026-000123", updatedAt, fetchedAt, hash);
    }

    private static CanonicalRecord example(Consumer<Draft> change) {
        Draft d = new Draft(CanonicalFixtures.specExample());
        change.accept(d);
        return d.build();
    }

    private static CanonicalRecord.Builder builderFromExample() {
        CanonicalRecord e = CanonicalFixtures.specExample();
        CanonicalRecord.Builder b = CanonicalRecord.builder().domain(e.domain()).regionCode(e.regionCode())
                .department(e.department()).matter(e.matter()).party(e.party()).limits(e.limits())
                .status(e.status()).source(e.source());
        e.amounts().forEach(a -> b.amount(a.kind(), a.value()));
        e.timeline().forEach(s -> b.step(s.step(), s.at(), s.actor()));
        return b;
    }

    /** The parts of a record, editable, built with the public constructor so lists stay exactly as given. */
    static final class Draft {
        String schemaVersion;
        String recordId;
        Domain domain;
        String regionCode;
        Department department;
        Matter matter;
        Party party;
        List<Amount> amounts;
        List<TimelineEntry> timeline;
        Limits limits;
        Status status;
        SourceLineage source;

        Draft(CanonicalRecord r) {
            schemaVersion = r.schemaVersion();
            recordId = r.recordId();
            domain = r.domain();
            regionCode = r.regionCode();
            department = r.department();
            matter = r.matter();
            party = r.party();
            amounts = new ArrayList<>(r.amounts());
            timeline = new ArrayList<>(r.timeline());
            limits = r.limits();
            status = r.status();
            source = r.source();
        }

        /** Changes system and key, and the recordId with them. */
        void source(String system, String key) {
            source = new SourceLineage(system, key, source.updatedAt(), source.fetchedAt(), source.payloadSha256());
            recordId = system + ":" + key;
        }

        CanonicalRecord build() {
            return new CanonicalRecord(schemaVersion, recordId, domain, regionCode, department, matter, party,
                    amounts, timeline, limits, status, source);
        }
    }
}

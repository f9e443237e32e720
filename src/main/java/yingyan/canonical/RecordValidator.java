package yingyan.canonical;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Checks a record against canonical v1 (docs/contracts/canonical-model.md and reference-codes.md). */
public final class RecordValidator {
    private static final Pattern AMOUNT = Pattern.compile("-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MASKED_ID = Pattern.compile("[0-9]{6}\\*{8}[0-9]{3}[0-9X]");
    private static final char REPLACEMENT = '\uFFFD';
    private static final Pattern UPPER_CODE = Pattern.compile("[^a-z\\s]+");

    private RecordValidator() {
    }

    /** Every rule the record breaks; empty when it is a valid v1 record. */
    public static List<Violation> check(CanonicalRecord r) {
        List<Violation> v = new ArrayList<>();
        if (!CanonicalRecord.SCHEMA_VERSION.equals(r.schemaVersion())) {
            v.add(new Violation("schemaVersion", r.schemaVersion(), "must be \"1\""));
        }
        SourceLineage s = r.source();
        if (present(v, "source", s, "lineage is required")) {
            required(v, "source.system", s.system());
            required(v, "source.key", s.key());
            if (present(v, "source.updatedAt", s.updatedAt(), "source change time is required")
                    && s.updatedAt().getNano() != 0) {
                v.add(new Violation("source.updatedAt", CanonicalTime.format(s.updatedAt()),
                        "source change time is to the second"));
            }
            if (present(v, "source.fetchedAt", s.fetchedAt(), "fetch time is required")
                    && s.fetchedAt().getNano() % 1_000_000 != 0) {
                v.add(new Violation("source.fetchedAt", CanonicalTime.format(s.fetchedAt()),
                        "fetch time is to the millisecond at most"));
            }
            if (s.payloadSha256() == null || !SHA256.matcher(s.payloadSha256()).matches()) {
                v.add(new Violation("source.payloadSha256", s.payloadSha256(), "must be 64 lower-case hex digits"));
            }
            if (r.recordId() == null || !r.recordId().equals(s.system() + ":" + s.key())) {
                v.add(new Violation("recordId", r.recordId(), "must be {source.system}:{source.key}"));
            }
        }
        present(v, "domain", r.domain(), "must be one of " + EnumSet.allOf(Domain.class));
        if (!RegionCodes.isKnown(r.regionCode())) {
            v.add(new Violation("regionCode", r.regionCode(), "unknown GB/T 2260 region code"));
        }
        Department d = r.department();
        if (present(v, "department", d, "is required")) {
            required(v, "department.code", d.code());
            required(v, "department.name", d.name());
            if (d.code() != null && !UPPER_CODE.matcher(d.code()).matches()) {
                v.add(new Violation("department.code", d.code(), "must be upper-case without spaces"));
            }
        }
        Matter m = r.matter();
        if (present(v, "matter", m, "is required")) {
            required(v, "matter.code", m.code());
            required(v, "matter.name", m.name());
        }
        checkParty(v, r.party());
        checkAmounts(v, r.amounts());
        checkTimeline(v, r.timeline());
        Limits l = r.limits();
        if (l != null) {
            if (l.legalWorkingDays() == null && l.promisedWorkingDays() == null) {
                v.add(new Violation("limits", null, "both limits absent: limits must be null"));
            }
            nonNegative(v, "limits.legalWorkingDays", l.legalWorkingDays());
            nonNegative(v, "limits.promisedWorkingDays", l.promisedWorkingDays());
        }
        present(v, "status", r.status(), "must be one of " + EnumSet.allOf(Status.class));
        checkNoClearId(v, r);
        checkDecoded(v, r);
        return v;
    }

    /**
     * A resident ID travels only as party.idMasked + party.idHash: one written into a name, a code, an actor or
     * the source key (a department's free text, or another hub's record relayed as it is) would reach the
     * database, the feed and the province in clear.
     */
    private static void checkNoClearId(List<Violation> v, CanonicalRecord r) {
        if (r.source() != null) {
            noClearId(v, "source.key", r.source().key());
        }
        // The credit code and idMasked itself: checkParty's format rules.
        eachFreeText(r, false, (field, value) -> noClearId(v, field, value));
    }

    /**
     * The names and codes a department writes as it likes, each with its field, in the order their violations
     * are reported: department, matter, the party's name (and credit code when asked for), the timeline's actors.
     */
    private static void eachFreeText(CanonicalRecord r, boolean withCreditCode, BiConsumer<String, String> check) {
        if (r.department() != null) {
            check.accept("department.code", r.department().code());
            check.accept("department.name", r.department().name());
        }
        if (r.matter() != null) {
            check.accept("matter.code", r.matter().code());
            check.accept("matter.name", r.matter().name());
        }
        if (r.party() != null) {
            check.accept("party.name", r.party().name());
            if (withCreditCode) {
                check.accept("party.creditCode", r.party().creditCode());
            }
        }
        for (TimelineEntry e : r.timeline()) {
            check.accept("timeline." + e.step() + ".actor", e.actor());
        }
    }

    private static void noClearId(List<Violation> v, String field, String value) {
        if (!ResidentIds.findClear(value).isEmpty()) {
            v.add(new Violation(field, ResidentIds.maskAll(value),
                    "holds a resident ID number in clear (only party.idMasked + party.idHash may carry one)"));
        }
    }

    /** Throws {@link InvalidSourceException} unless the record is valid. */
    public static CanonicalRecord requireValid(CanonicalRecord r) {
        List<Violation> v = check(r);
        if (!v.isEmpty()) {
            throw new InvalidSourceException(v);
        }
        return r;
    }

    private static void checkParty(List<Violation> v, Party p) {
        if (p == null) {
            return;
        }
        if (!present(v, "party.type", p.type(), "must be PERSON or ORG")) {
            return;
        }
        required(v, "party.name", p.name());
        if (p.type() == PartyType.ORG) {
            if (p.creditCode() != null && !CreditCodes.isValid(p.creditCode())) {
                // a resident ID in the wrong column must not reach a log or screen in clear
                v.add(new Violation("party.creditCode", ResidentIds.maskAll(p.creditCode()),
                        "not a valid unified social credit code (GB 32100 check character)"));
            }
            if (p.idMasked() != null || p.idHash() != null) {
                v.add(new Violation("party.idMasked", ResidentIds.maskAll(p.idMasked()), "an ORG carries no resident ID"));
            }
        } else {
            if (p.creditCode() != null) {
                v.add(new Violation("party.creditCode", ResidentIds.maskAll(p.creditCode()),
                        "a PERSON carries no credit code"));
            }
            if (p.idMasked() == null || !MASKED_ID.matcher(p.idMasked()).matches()) {
                v.add(new Violation("party.idMasked", ResidentIds.maskAll(p.idMasked()),
                        "must be the masked form: 6 digits, 8 stars, 4 characters"));
            }
            if (p.idHash() == null || !ResidentIdProtector.HASH.matcher(p.idHash()).matches()) {
                v.add(new Violation("party.idHash", null,
                        "must be a 64-hex HMAC-SHA256, after k<key id>: when the key id is not 1"));
            }
        }
    }

    private static void checkAmounts(List<Violation> v, List<Amount> amounts) {
        Set<AmountKind> seen = EnumSet.noneOf(AmountKind.class);
        AmountKind previous = null;
        for (int i = 0; i < amounts.size(); i++) {
            Amount a = amounts.get(i);
            String f = "amounts[" + i + "]";
            if (!present(v, f + ".kind", a.kind(), "must be one of " + EnumSet.allOf(AmountKind.class))) {
                continue;
            }
            f = "amounts." + a.kind();
            if (!seen.add(a.kind())) {
                v.add(new Violation(f, a.value(), "one amount per kind at most"));
            }
            if (previous != null && a.kind().compareTo(previous) < 0) {
                v.add(new Violation(f, a.value(), "amounts must be in kind order"));
            }
            previous = a.kind();
            if (a.value() == null || !AMOUNT.matcher(a.value()).matches()) {
                v.add(new Violation(f, a.value(), "must be a decimal with exactly 2 fraction digits (yuan.fen)"));
            }
            if (!Amount.CNY.equals(a.currency())) {
                v.add(new Violation(f + ".currency", a.currency(), "must be CNY"));
            }
        }
    }

    private static void checkTimeline(List<Violation> v, List<TimelineEntry> timeline) {
        Set<Step> seen = EnumSet.noneOf(Step.class);
        TimelineEntry previous = null;
        for (TimelineEntry e : timeline) {
            if (e.step() == null || e.at() == null) {
                v.add(new Violation("timeline", String.valueOf(e), "every entry needs a step and a time"));
                continue;
            }
            String f = "timeline." + e.step();
            if (!seen.add(e.step())) {
                v.add(new Violation(f, CanonicalTime.format(e.at()), "one entry per step at most"));
            }
            if (e.at().getNano() != 0) {
                v.add(new Violation(f, CanonicalTime.format(e.at()), "timeline times are to the second"));
            }
            if (previous != null) {
                int byTime = e.at().toInstant().compareTo(previous.at().toInstant());
                // Ordered by time; the step order only breaks ties. A later step that happened earlier (a parcel
                // paid before its contract, a trading notice announced before its decision) is a valid record:
                // what is odd about its order is supervision's finding (rule TIMELINE_ORDER), not a refusal.
                if (byTime < 0 || byTime == 0 && e.step().compareTo(previous.step()) < 0) {
                    v.add(new Violation(f, CanonicalTime.format(e.at()),
                            "timeline must be ordered by time, then by step order"));
                }
            }
            previous = e;
        }
    }

    /**
     * U+FFFD is what a decoder leaves where the source's bytes were not valid in its encoding (a GBK export
     * with stray bytes, a GB18030 file with a broken character, a database column holding Latin-1): the
     * text is no longer what the department wrote, so the record is refused naming the field, whatever the
     * adapter.
     */
    private static void checkDecoded(List<Violation> v, CanonicalRecord r) {
        notMangled(v, "recordId", r.recordId());
        notMangled(v, "regionCode", r.regionCode());
        eachFreeText(r, true, (field, value) -> notMangled(v, field, value));
    }

    private static void notMangled(List<Violation> v, String field, String value) {
        if (value != null && value.indexOf(REPLACEMENT) >= 0) {
            v.add(new Violation(field, ResidentIds.maskAll(value), "holds U+FFFD (" + REPLACEMENT + "): the source's"
                    + " bytes were not valid in its declared encoding, so the text is not what it wrote"));
        }
    }

    /** Whether {@code value} is there; when it is not, the violation {@code rule} of {@code field} (no value). */
    private static boolean present(List<Violation> v, String field, Object value, String rule) {
        if (value == null) {
            v.add(new Violation(field, null, rule));
            return false;
        }
        return true;
    }

    private static void required(List<Violation> v, String field, String value) {
        if (value == null || value.isBlank()) {
            v.add(new Violation(field, value, "is required"));
        }
    }

    private static void nonNegative(List<Violation> v, String field, Integer value) {
        if (value != null && value < 0) {
            v.add(new Violation(field, value.toString(), "must not be negative"));
        }
    }
}

package yingyan.supervision.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Step;
import yingyan.canonical.TimelineEntry;
import yingyan.supervision.Finding;
import yingyan.supervision.Input;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;
import yingyan.supervision.calendar.Deadlines;

/** What the rules read of a record: a step's time, an amount, a Beijing date; absent stays absent. */
final class Facts {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

    private Facts() {
    }

    /** The first entry of {@code step}, if the record has it. */
    static Optional<OffsetDateTime> at(CanonicalRecord r, Step step) {
        return r.timeline().stream().filter(e -> e.step() == step).map(TimelineEntry::at).findFirst();
    }

    /** "Decided": DECIDED's time, or COMPLETED's when there is no DECIDED. */
    static Optional<OffsetDateTime> decided(CanonicalRecord r) {
        return at(r, Step.DECIDED).or(() -> at(r, Step.COMPLETED));
    }

    static Optional<BigDecimal> amount(CanonicalRecord r, AmountKind kind) {
        return r.amounts().stream().filter(a -> a.kind() == kind).findFirst().map(a -> new BigDecimal(a.value()));
    }

    static String minute(OffsetDateTime t) {
        return t.atZoneSameInstant(Deadlines.BEIJING).format(MINUTE);
    }

    static String yuan(BigDecimal v) {
        return v.setScale(2).toPlainString();
    }

    /** A record rule's finding on its own record, raised when the source recorded what meets the rule. */
    static Outcome found(Rule rule, CanonicalRecord r, String message) {
        return found(rule, r, r.source().updatedAt().toInstant(), message);
    }

    static Outcome found(Rule rule, CanonicalRecord r, Instant raisedAt, String message) {
        return Outcome.found(new Finding(rule.id(), rule.version(), rule.level(), r.recordId(),
                List.of(Input.of(r)), raisedAt, null, message, false, null));
    }
}

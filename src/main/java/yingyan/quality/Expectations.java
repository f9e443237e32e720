package yingyan.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import yingyan.canonical.Amount;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.canonical.TimelineEntry;

/**
 * What each source's contract provides ({@code hub.quality.expectations}), checked at start, and the vocabulary
 * both sides share: what a version carries ({@link #present}, stored in {@code quality_version.present}) and the
 * SQL that finds a record missing an item it should carry. Kept as "present" rather than "missing", so a changed
 * expectation applies to past months as well.
 */
@Component
class Expectations {
    static final String LEGAL = "limits.legalWorkingDays";
    static final String PROMISED = "limits.promisedWorkingDays";
    static final String PARTY = "party";
    static final String AMOUNT = "amount:";

    /** One expected item of one source. */
    record Expected(String system, String item, Set<Status> statuses) {
    }

    private final Map<String, List<Expected>> bySystem = new LinkedHashMap<>();
    private final Set<String> items = new TreeSet<>();

    Expectations(QualityProperties props) {
        List<String> wrong = new ArrayList<>();
        props.expectations().forEach((system, list) -> {
            List<Expected> out = new ArrayList<>();
            for (QualityProperties.Expectation e : list) {
                String item = e.item() == null ? "" : e.item().trim();
                if (!known(item)) {
                    wrong.add(system + ": '" + item + "'");
                    continue;
                }
                Set<Status> statuses = e.statuses().isEmpty() ? EnumSet.allOf(Status.class)
                        : EnumSet.copyOf(e.statuses());
                out.add(new Expected(system, item, statuses));
                items.add(item);
            }
            bySystem.put(system, List.copyOf(out));
        });
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("hub.quality.expectations names items no record carries: " + wrong
                    + "; an item is a step (" + Arrays.toString(Step.values()) + "), " + LEGAL + ", " + PROMISED
                    + ", " + PARTY + " or " + AMOUNT + "<KIND> with a kind of " + Arrays.toString(AmountKind.values()));
        }
    }

    private static boolean known(String item) {
        if (item.equals(LEGAL) || item.equals(PROMISED) || item.equals(PARTY)) {
            return true;
        }
        if (item.startsWith(AMOUNT)) {
            return Arrays.stream(AmountKind.values()).anyMatch(k -> k.name().equals(item.substring(AMOUNT.length())));
        }
        return Arrays.stream(Step.values()).anyMatch(s -> s.name().equals(item));
    }

    /** The items a source's records are expected to carry (in some status), in the configured order. */
    List<String> itemsOf(String system) {
        Set<String> out = new LinkedHashSet<>();
        bySystem.getOrDefault(system, List.of()).forEach(e -> out.add(e.item()));
        return List.copyOf(out);
    }

    /** Every item some source is expected to carry, sorted. */
    Set<String> items() {
        return items;
    }

    /** What a version carries, as stored in {@code quality_version.present}: {@code |ACCEPTED|party|amount:FEE|}. */
    static String present(CanonicalRecord r) {
        Set<String> p = new LinkedHashSet<>();
        for (TimelineEntry t : r.timeline()) {
            p.add(t.step().name());
        }
        if (r.limits() != null && r.limits().legalWorkingDays() != null) {
            p.add(LEGAL);
        }
        if (r.limits() != null && r.limits().promisedWorkingDays() != null) {
            p.add(PROMISED);
        }
        if (r.party() != null) {
            p.add(PARTY);
        }
        for (Amount a : r.amounts()) {
            p.add(AMOUNT + a.kind().name());
        }
        return "|" + String.join("|", p) + (p.isEmpty() ? "" : "|");
    }

    /**
     * A SQL condition on {@code quality_version v} true when the row misses {@code item} although its source is
     * expected to carry it in its status (false when no source expects it); its values are added to {@code args}.
     */
    String missing(String item, List<Object> args) {
        List<String> ors = new ArrayList<>();
        bySystem.forEach((system, list) -> {
            for (Expected e : list) {
                if (!e.item().equals(item)) {
                    continue;
                }
                StringBuilder c = new StringBuilder("(v.source_system = ?");
                args.add(system);
                if (e.statuses().size() < Status.values().length) {
                    c.append(" AND v.status IN (").append(String.join(",", e.statuses().stream().map(s -> "?").toList()))
                            .append(')');
                    e.statuses().forEach(s -> args.add(s.name()));
                }
                c.append(" AND v.present NOT LIKE ? ESCAPE '!')");
                args.add("%|" + item.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "|%");
                ors.add(c.toString());
            }
        });
        return ors.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", ors) + ")";
    }
}

package yingyan.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one person may read of records, alerts and quality (hub-api.md: "people get grants too"): region codes, and
 * departments as {@code {system}:{code}} ({@code approvals:SGZRZY}). An empty optional means every value. A row is
 * within the grants when its region is granted <em>and</em> its department is. The one place where grants become
 * SQL: {@link #where} gives the condition and its parameters for any query, so rows outside the grants are never
 * read, and never filtered afterwards in Java.
 *
 * @param regions     granted region codes (exact six-digit codes), or empty = all
 * @param departments granted departments as {@code system:code}, or empty = all
 */
public record Grants(Optional<Set<String>> regions, Optional<Set<String>> departments) {
    public static final String ALL_VALUES = "*";
    public static final Grants ALL = new Grants(Optional.empty(), Optional.empty());

    public Grants {
        regions = regions.map(s -> Collections.unmodifiableSet(new TreeSet<>(s)));
        departments = departments.map(s -> Collections.unmodifiableSet(new TreeSet<>(s)));
        departments.ifPresent(d -> d.forEach(g -> {
            int colon = g.indexOf(':');
            if (colon < 1 || colon == g.length() - 1) {
                throw new IllegalArgumentException("a department grant is system:code (approvals:SGZRZY), not '"
                        + g + "'");
            }
        }));
    }

    /** From configured lists: absent, empty or holding {@code *} = all. */
    public static Grants of(List<String> regions, List<String> departments) {
        return new Grants(set(regions), set(departments));
    }

    private static Optional<Set<String>> set(List<String> values) {
        return values == null || values.isEmpty() || values.contains(ALL_VALUES) ? Optional.empty()
                : Optional.of(new TreeSet<>(values));
    }

    /** Whether anything is withheld: a limited person sees no hub-wide view (quarantine, province, audit, …). */
    public boolean limited() {
        return regions.isPresent() || departments.isPresent();
    }

    /** Whether a region and department (its system and code) are within the grants. */
    public boolean covers(String regionCode, String system, String departmentCode) {
        return regions.map(r -> r.contains(regionCode)).orElse(true)
                && departments.map(d -> d.contains(system + ":" + departmentCode)).orElse(true);
    }

    /**
     * The SQL condition "this row is within the grants", over the given column expressions (a column, or a
     * scalar subquery for a table that lacks one), with its parameters in order. Never NULL: a NULL department is
     * outside any department grant, so the condition can be negated safely ({@code NOT (…)}). Unlimited:
     * {@code 1 = 1}.
     */
    public Sql where(String regionColumn, String systemColumn, String departmentColumn) {
        List<String> parts = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        regions.ifPresent(r -> {
            parts.add(r.isEmpty() ? "1 = 0"
                    : "COALESCE(" + regionColumn + ", '') IN (" + marks(r.size()) + ")");
            args.addAll(r);
        });
        departments.ifPresent(d -> {
            if (d.isEmpty()) {
                parts.add("1 = 0");
                return;
            }
            List<String> any = new ArrayList<>();
            for (String grant : d) {
                int colon = grant.indexOf(':');
                any.add("(COALESCE(" + systemColumn + ", '') = ? AND COALESCE(" + departmentColumn + ", '') = ?)");
                args.add(grant.substring(0, colon));
                args.add(grant.substring(colon + 1));
            }
            parts.add("(" + String.join(" OR ", any) + ")");
        });
        return new Sql(parts.isEmpty() ? "1 = 1" : "(" + String.join(" AND ", parts) + ")", List.copyOf(args));
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    /** A condition with its {@code ?} parameters, in order. */
    public record Sql(String condition, List<Object> args) {
    }
}

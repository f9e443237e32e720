package yingyan.quality;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import yingyan.web.Grants;

/**
 * Reporting quality for a month or a run of months (supervision.md §5): brings {@code quality_version} up to
 * date (at most {@code hub.quality.catch-up-on-read} versions), then asks {@link QualityQueries}.
 */
@Service
public class QualityReport {
    private final QualityQueries queries;
    private final QualityIndexer indexer;
    private final Expectations expectations;
    private final QualityProperties props;

    QualityReport(QualityQueries queries, QualityIndexer indexer, Expectations expectations, QualityProperties props) {
        this.queries = queries;
        this.indexer = indexer;
        this.expectations = expectations;
        this.props = props;
    }

    /** One department's month, as the API shows it. */
    public record Department(String month, String sourceSystem, String departmentCode, long versions, long records,
                             double versionsPerRecord, long correctedRecords, Double timelinessP50Seconds,
                             Double timelinessP95Seconds, long incompleteRecords, double incompleteShare,
                             Map<String, Long> missing) {
    }

    /** One reason's quarantined items of one adapter's month. */
    public record Reason(String reason, long quarantined, double share) {
    }

    /** One adapter's month: items read = versions fetched + items quarantined; share = quarantined / read. */
    public record Accuracy(String adapter, long itemsRead, long quarantined, double share, List<Reason> byReason) {
    }

    /** A month's report. */
    public record Month(String month, List<Department> departments, List<Accuracy> accuracy,
                       long versionsNotYetCounted) {
    }

    /** One department over a run of months, one entry per month (zero versions and null lags where none). */
    public record Series(String sourceSystem, String departmentCode, List<Department> months) {
    }

    /** A run of months ending with {@code to}. */
    public record Trend(List<String> months, List<Series> departments, long versionsNotYetCounted) {
    }

    public Month month(YearMonth month) {
        return month(month, Grants.ALL);
    }

    /**
     * A month's figures of the departments within the grants; accuracy (per adapter, hub-wide) only for a reader
     * without limits.
     */
    public Month month(YearMonth month, Grants grants) {
        indexer.catchUp(props.catchUpOnRead());
        List<Department> departments = queries.departments(month, month, grants).stream().map(this::department)
                .sorted(Comparator.comparing(Department::sourceSystem).thenComparing(Department::departmentCode))
                .toList();
        return new Month(month.toString(), departments, grants.limited() ? List.of() : accuracy(month),
                indexer.behind());
    }

    public Trend trend(YearMonth to, int months) {
        return trend(to, months, Grants.ALL);
    }

    /** The departments within the grants, over the months up to {@code to}. */
    public Trend trend(YearMonth to, int months, Grants grants) {
        indexer.catchUp(props.catchUpOnRead());
        YearMonth from = to.minusMonths(months - 1L);
        List<String> names = new ArrayList<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            names.add(m.toString());
        }
        Map<String, Map<String, Department>> byDepartment = new TreeMap<>();
        for (QualityQueries.DepartmentMonth d : queries.departments(from, to, grants)) {
            byDepartment.computeIfAbsent(d.system() + "\u0000" + d.department(), k -> new HashMap<>())
                    .put(d.month(), department(d));
        }
        List<Series> series = new ArrayList<>();
        byDepartment.forEach((key, perMonth) -> {
            String system = key.substring(0, key.indexOf('\u0000'));
            String code = key.substring(key.indexOf('\u0000') + 1);
            List<Department> row = names.stream().map(m -> perMonth.getOrDefault(m, empty(m, system, code))).toList();
            series.add(new Series(system, code, row));
        });
        return new Trend(names, series, indexer.behind());
    }

    private Department department(QualityQueries.DepartmentMonth d) {
        Map<String, Long> missing = new LinkedHashMap<>();
        // Only what this source's contract provides: nothing is reported for steps the source never has.
        for (String item : expectations.itemsOf(d.system())) {
            missing.put(item, d.missing().getOrDefault(item, 0L));
        }
        return new Department(d.month(), d.system(), d.department(), d.versions(), d.records(),
                ratio(d.versions(), d.records()), d.correctedRecords(), seconds(d.p50Ms()), seconds(d.p95Ms()),
                d.incompleteRecords(), ratio(d.incompleteRecords(), d.records()), missing);
    }

    private Department empty(String month, String system, String code) {
        Map<String, Long> missing = new LinkedHashMap<>();
        expectations.itemsOf(system).forEach(i -> missing.put(i, 0L));
        return new Department(month, system, code, 0, 0, 0, 0, null, null, 0, 0, missing);
    }

    private List<Accuracy> accuracy(YearMonth month) {
        Map<String, Long> versions = queries.versionsByAdapter(month);
        Map<String, List<QualityQueries.Quarantined>> bad = new HashMap<>();
        queries.quarantined(month).forEach(q -> bad.computeIfAbsent(q.adapter(), k -> new ArrayList<>()).add(q));
        TreeSet<String> adapters = new TreeSet<>(versions.keySet());
        adapters.addAll(bad.keySet());
        List<Accuracy> out = new ArrayList<>();
        for (String adapter : adapters) {
            List<QualityQueries.Quarantined> reasons = bad.getOrDefault(adapter, List.of());
            long quarantined = reasons.stream().mapToLong(QualityQueries.Quarantined::items).sum();
            long read = versions.getOrDefault(adapter, 0L) + quarantined;
            List<Reason> byReason = reasons.stream()
                    .sorted(Comparator.comparingLong(QualityQueries.Quarantined::items).reversed()
                            .thenComparing(QualityQueries.Quarantined::reason))
                    .map(q -> new Reason(q.reason(), q.items(), ratio(q.items(), read))).toList();
            out.add(new Accuracy(adapter, read, quarantined, ratio(quarantined, read), byReason));
        }
        return out;
    }

    /** A share or a mean to 4 decimals; 0 over nothing. */
    static double ratio(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    /** Milliseconds as seconds to 3 decimals. */
    static Double seconds(Double ms) {
        return ms == null ? null : Math.round(ms) / 1000.0;
    }
}

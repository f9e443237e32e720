package yingyan.quality;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import yingyan.web.Grants;

/**
 * The figures of supervision.md §5 as SQL aggregates over {@code quality_version} (one narrow row per applied
 * version, V16) and {@code quarantine}; the same statements on PostgreSQL and H2 (both have
 * {@code PERCENTILE_CONT ... WITHIN GROUP}). The lag is cast to a decimal so both interpolate (a bigint would be
 * truncated by H2); not to double, which H2 2.3 refuses for some values ("Scale ... -3"), while PostgreSQL reads
 * the decimal as double precision.
 */
@Repository
class QualityQueries {
    private final JdbcTemplate jdbc;
    private final Expectations expectations;

    QualityQueries(JdbcTemplate jdbc, Expectations expectations) {
        this.jdbc = jdbc;
        this.expectations = expectations;
    }

    /** One department's month: counts, and the lag percentiles in milliseconds (null: no version). */
    record DepartmentMonth(String month, String system, String department, long versions, long records,
                           long correctedRecords, long incompleteRecords, Map<String, Long> missing,
                           Double p50Ms, Double p95Ms) {
        String key() {
            return month + "|" + system + "|" + department;
        }
    }

    /**
     * Every department with versions fetched in the months {@code from} to {@code to} (Beijing), per month. A
     * record is touched in a month when a version of it was fetched then; its completeness is that of its newest
     * version of the month (under each department it had a version under, should it have moved).
     */
    List<DepartmentMonth> departments(YearMonth from, YearMonth to, Grants grants) {
        Grants.Sql g = within(grants);
        List<String> items = new ArrayList<>(expectations.items());
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT v.fetched_month, v.source_system, v.department_code, COUNT(*),"
                + " SUM(r.n), SUM(CASE WHEN r.n > 1 THEN 1 ELSE 0 END)");
        List<String> any = new ArrayList<>();
        for (String item : items) {
            any.add(expectations.missing(item, args));
        }
        sql.append(", SUM(CASE WHEN ").append(any.isEmpty() ? "1 = 0" : String.join(" OR ", any))
                .append(" THEN 1 ELSE 0 END)");
        for (String item : items) {
            sql.append(", SUM(CASE WHEN ").append(expectations.missing(item, args)).append(" THEN 1 ELSE 0 END)");
        }
        sql.append(" FROM quality_version v JOIN (SELECT record_id, source_system, department_code,"
                + " MAX(seq) AS last_seq, COUNT(*) AS n FROM quality_version WHERE fetched_month BETWEEN ? AND ?"
                + " AND " + g.condition()
                + " GROUP BY fetched_month, record_id, source_system, department_code) r ON v.seq = r.last_seq"
                + " GROUP BY v.fetched_month, v.source_system, v.department_code");
        args.add(from.toString());
        args.add(to.toString());
        args.addAll(g.args());
        Map<String, double[]> lags = lags(from, to, g);
        List<DepartmentMonth> out = new ArrayList<>();
        jdbc.query(sql.toString(), rs -> {
            Map<String, Long> missing = new LinkedHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                missing.put(items.get(i), rs.getLong(8 + i));
            }
            String month = rs.getString(1).trim();
            String key = month + "|" + rs.getString(2) + "|" + rs.getString(3);
            double[] lag = lags.get(key);
            out.add(new DepartmentMonth(month, rs.getString(2), rs.getString(3), rs.getLong(5), rs.getLong(4),
                    rs.getLong(6), rs.getLong(7), missing, lag == null ? null : lag[0], lag == null ? null : lag[1]));
        }, args.toArray());
        return out;
    }

    /** Per month and department: p50 and p95 of fetchedAt − source.updatedAt over every version, milliseconds. */
    private Map<String, double[]> lags(YearMonth from, YearMonth to, Grants.Sql g) {
        Map<String, double[]> out = new HashMap<>();
        List<Object> args = new ArrayList<>(List.of(from.toString(), to.toString()));
        args.addAll(g.args());
        jdbc.query("SELECT fetched_month, source_system, department_code,"
                        + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY CAST(lag_ms AS DECIMAL(20, 3))),"
                        + " PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY CAST(lag_ms AS DECIMAL(20, 3)))"
                        + " FROM quality_version WHERE fetched_month BETWEEN ? AND ? AND " + g.condition()
                        + " GROUP BY fetched_month, source_system, department_code",
                rs -> {
                    out.put(rs.getString(1).trim() + "|" + rs.getString(2) + "|" + rs.getString(3),
                            new double[]{rs.getDouble(4), rs.getDouble(5)});
                }, args.toArray());
        return out;
    }

    /**
     * The condition "this quality_version row is within the grants": its department key, and the region of its
     * record as it stands now (the row has no region of its own). Every per-department figure adds it.
     */
    static Grants.Sql within(Grants grants) {
        return grants.where("(SELECT rr.region_code FROM record rr WHERE rr.record_id = quality_version.record_id)",
                "quality_version.source_system", "quality_version.department_code");
    }

    /** Versions fetched in the month, per adapter ({@code source.system}). */
    Map<String, Long> versionsByAdapter(YearMonth month) {
        Map<String, Long> out = new HashMap<>();
        jdbc.query("SELECT source_system, COUNT(*) FROM quality_version WHERE fetched_month = ? GROUP BY source_system",
                rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                }, month.toString());
        return out;
    }

    /** One adapter's items quarantined in a month for one reason (the field the first violation names). */
    record Quarantined(String adapter, String reason, long items) {
    }

    /**
     * Quarantine entries first received in the month (Beijing), per adapter and reason. A bad item read again is
     * one entry, as it is one item; the reason is the field its first violation names ({@code (item)} when the
     * item could not be mapped at all), since the full reason text carries the offending value.
     */
    List<Quarantined> quarantined(YearMonth month) {
        OffsetDateTime from = month.atDay(1).atStartOfDay(QualityIndexer.BEIJING).toOffsetDateTime();
        OffsetDateTime to = month.plusMonths(1).atDay(1).atStartOfDay(QualityIndexer.BEIJING).toOffsetDateTime();
        return jdbc.query("SELECT adapter, COALESCE(field, '(item)') AS reason, COUNT(*) FROM quarantine"
                        + " WHERE received_at >= ? AND received_at < ? GROUP BY adapter, COALESCE(field, '(item)')",
                (rs, i) -> new Quarantined(rs.getString(1), rs.getString(2), rs.getLong(3)), from, to);
    }
}

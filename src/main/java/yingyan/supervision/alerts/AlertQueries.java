package yingyan.supervision.alerts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import yingyan.canonical.ResidentIds;
import yingyan.feed.RecordQueries;
import yingyan.web.Grants;
import yingyan.web.ListQuery;

/**
 * The read side of alerts: lists, one alert, its history and acknowledgements, the alert feed. Every query a
 * person's request makes goes through {@link #visible}: the one place where their grants narrow alerts.
 */
@Component
class AlertQueries {
    private final JdbcTemplate jdbc;

    AlertQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A list's filters; a null one filters nothing. {@code from}/{@code to}: raised at or after / before. */
    record Filter(String level, String rule, String regionCode, String department, Alert.State state,
                  OffsetDateTime from, OffsetDateTime to) {
    }

    /** Newest raised first (by row number), {@code before} a row number (null: from the newest). */
    List<StoredAlert> list(Filter f, Long before, int limit, Grants grants) {
        ListQuery q = filtered("SELECT " + StoredAlert.COLUMNS + " FROM alert", f, grants);
        q.page("num", before, limit);
        return jdbc.query(q.sql(), StoredAlert.ROW, q.args());
    }

    /** Open YELLOW and RED alerts of one department (by code; null: none given) or one region. */
    record Count(String code, long yellow, long red) {
    }

    /**
     * Open YELLOW and RED alerts within the filter (its state is ignored: always OPEN), counted in SQL per
     * {@code column} ({@code department_code} or {@code region_code}), most RED first.
     */
    List<Count> openCounts(Filter f, String column, Grants grants) {
        if (!column.equals("department_code") && !column.equals("region_code")) {
            throw new IllegalArgumentException("not a count column: " + column);
        }
        Filter open = new Filter(f.level(), f.rule(), f.regionCode(), f.department(), Alert.State.OPEN, f.from(),
                f.to());
        ListQuery q = filtered("SELECT " + column + ", SUM(CASE WHEN alert_level = 'YELLOW' THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN alert_level = 'RED' THEN 1 ELSE 0 END) FROM alert", open, grants)
                .and("alert_level IN ('YELLOW', 'RED') AND ? = 1", 1);
        return jdbc.query(q.sql() + " GROUP BY " + column + " ORDER BY 3 DESC, 2 DESC, 1 NULLS LAST",
                (rs, i) -> new Count(rs.getString(1) == null ? null : rs.getString(1).trim(), rs.getLong(2),
                        rs.getLong(3)), q.args());
    }

    /** The one place the list's filters and the person's grants become SQL: the list and the counts both go through it. */
    private static ListQuery filtered(String select, Filter f, Grants grants) {
        ListQuery q = new ListQuery(select).and(visible(grants))
                .and("alert_level = ?", f.level()).and("rule = ?", f.rule()).and("region_code = ?", f.regionCode())
                .and("department_code = ?", f.department()).and("raised_at >= ?", f.from())
                .and("raised_at < ?", f.to());
        if (f.state() != null) {
            q.and(switch (f.state()) {
                case OPEN -> "cleared_at IS NULL AND resolved_at IS NULL AND ? = 1";
                case RESOLVED -> "cleared_at IS NULL AND resolved_at IS NOT NULL AND ? = 1";
                case CLEARED -> "cleared_at IS NOT NULL AND ? = 1";
            }, 1);
        }
        return q;
    }

    /** The alert, if it exists and is within the grants (outside them it reads as absent). */
    Optional<StoredAlert> one(String alertId, Grants grants) {
        ListQuery q = new ListQuery("SELECT " + StoredAlert.COLUMNS + " FROM alert").and("alert_id = ?", alertId)
                .and(visible(grants));
        return jdbc.query(q.sql(), StoredAlert.ROW, q.args()).stream().findFirst();
    }

    /** Every alert naming the record, newest first, within the grants. */
    List<StoredAlert> ofRecord(String recordId, Grants grants) {
        ListQuery q = new ListQuery("SELECT " + StoredAlert.COLUMNS + " FROM alert")
                .and("num IN (SELECT alert_num FROM alert_record WHERE record_id = ?)", recordId).and(visible(grants));
        return jdbc.query(q.sql() + " ORDER BY num DESC", StoredAlert.ROW, q.args());
    }

    /**
     * The condition "this alert (table {@code alert}) is within the grants": every record it names is
     * (supervision.md §3: a set alert is seen only with grants for every record in it), by the records' region,
     * source.system and department as they stand now. Every person's query adds it; unlimited: {@code 1 = 1}.
     */
    static Grants.Sql visible(Grants grants) {
        if (!grants.limited()) {
            return new Grants.Sql("1 = 1", List.of());
        }
        Grants.Sql r = RecordQueries.within(grants, "r");
        return new Grants.Sql("NOT EXISTS (SELECT 1 FROM alert_record ar LEFT JOIN record r ON r.record_id ="
                + " ar.record_id WHERE ar.alert_num = alert.num AND NOT " + r.condition() + ")", r.args());
    }

    /** One event of an alert's history: the alert as it stood after it (alert v1 JSON). */
    record Event(long seq, String kind, OffsetDateTime at, String body) {
    }

    List<Event> history(long num) {
        return jdbc.query("SELECT seq, kind, at, body FROM alert_event WHERE alert_num = ? ORDER BY seq",
                (rs, i) -> new Event(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getString(4)), num);
    }

    record Ack(OffsetDateTime at, String actor, String note) {
    }

    List<Ack> acks(long num) {
        return jdbc.query("SELECT at, actor, note FROM alert_ack WHERE alert_num = ? ORDER BY id",
                (rs, i) -> new Ack(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getString(3)), num);
    }

    /** Records an acknowledgement (the note masked of resident IDs); changes nothing of the alert. */
    Ack acknowledge(long num, String actor, String note) {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
        String masked = ResidentIds.maskAll(note);
        jdbc.update("INSERT INTO alert_ack (alert_num, at, actor, note) VALUES (?,?,?,?)", num, at, actor, masked);
        return new Ack(at, actor, masked);
    }

    /**
     * Events after {@code after}, oldest first, of alerts within the grants: the alert's domain among
     * {@code domains}, and every record it names in {@code regions} (empty optional: all).
     */
    List<Event> feed(long after, Optional<Set<String>> regions, Optional<Set<String>> domains, int limit) {
        if (regions.map(Set::isEmpty).orElse(false) || domains.map(Set::isEmpty).orElse(false)) {
            return List.of(); // granted nothing (NOT IN of nothing would let everything through)
        }
        StringBuilder sql = new StringBuilder("SELECT e.seq, e.kind, e.at, e.body FROM alert_event e");
        List<Object> args = new ArrayList<>();
        sql.append(" JOIN alert a ON a.num = e.alert_num WHERE e.seq > ?");
        args.add(after);
        if (domains.isPresent()) {
            sql.append(" AND a.domain IN (").append(marks(domains.get().size())).append(')');
            args.addAll(domains.get());
        }
        if (regions.isPresent()) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM alert_record r WHERE r.alert_num = e.alert_num AND"
                    + " r.region_code NOT IN (").append(marks(regions.get().size())).append("))");
            args.addAll(regions.get());
        }
        sql.append(" ORDER BY e.seq LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> new Event(rs.getLong(1), rs.getString(2),
                rs.getObject(3, OffsetDateTime.class), rs.getString(4)), args.toArray());
    }

    long newestEvent() {
        return jdbc.queryForObject("SELECT last_seq FROM alert_head WHERE id = 1", Long.class);
    }

    private static String marks(int n) {
        return n == 0 ? "NULL" : String.join(",", Collections.nCopies(n, "?"));
    }
}

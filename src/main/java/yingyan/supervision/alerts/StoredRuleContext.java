package yingyan.supervision.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.supervision.RuleContext;
import yingyan.supervision.WorkingCalendar;

/**
 * A rule's view of the database for one evaluation: current versions found through {@code supervision_record};
 * every record it hands out is remembered in {@code seen} (where a set alert's region and department come from).
 */
final class StoredRuleContext implements RuleContext {
    private final JdbcTemplate jdbc;
    private final WorkingCalendar calendar;
    private final Map<String, CanonicalRecord> seen;

    StoredRuleContext(JdbcTemplate jdbc, WorkingCalendar calendar, Map<String, CanonicalRecord> seen) {
        this.jdbc = jdbc;
        this.calendar = calendar;
        this.seen = seen;
    }

    @Override
    public WorkingCalendar calendar() {
        return calendar;
    }

    @Override
    public List<CanonicalRecord> byDepartmentAndCreditCode(Domain domain, String departmentCode, String creditCode) {
        if (departmentCode == null || creditCode == null) {
            return List.of();
        }
        return read("SELECT r.body FROM supervision_record s JOIN record r ON r.record_id = s.record_id"
                + " WHERE s.domain = ? AND s.department_code = ? AND s.credit_code = ? ORDER BY s.record_id",
                domain.name(), departmentCode, creditCode);
    }

    @Override
    public List<CanonicalRecord> byPartyIdHash(Domain domain, String idHash) {
        if (idHash == null) {
            return List.of();
        }
        return read("SELECT r.body FROM supervision_record s JOIN record r ON r.record_id = s.record_id"
                + " WHERE s.domain = ? AND s.id_hash = ? ORDER BY s.record_id", domain.name(), idHash);
    }

    private List<CanonicalRecord> read(String sql, Object... args) {
        List<CanonicalRecord> out = new ArrayList<>();
        jdbc.query(sql, rs -> {
            CanonicalRecord r = CanonicalJson.read(rs.getString(1));
            seen.putIfAbsent(r.recordId(), r);
            out.add(seen.get(r.recordId()));
        }, args);
        return out;
    }
}

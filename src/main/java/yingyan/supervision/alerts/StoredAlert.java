package yingyan.supervision.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.RowMapper;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.Domain;
import yingyan.supervision.Input;
import yingyan.supervision.Level;

/** An alert as stored (table {@code alert}), with its row number. */
record StoredAlert(long num, String alertId, String rule, int ruleVersion, Level level, String key, Domain domain,
                   String regionCode, String departmentCode, Instant raisedAt, Instant resolvedAt, Instant clearedAt,
                   boolean calendarMissing, String calendarVersion, List<String> recordIds, List<Input> inputs,
                   String message, long lastSeq) {
    static final String COLUMNS = "num, alert_id, rule, rule_version, alert_level, alert_key, domain, region_code,"
            + " department_code, raised_at, resolved_at, cleared_at, calendar_missing, calendar_version, record_ids,"
            + " inputs, message, last_seq";

    private static final TypeReference<List<String>> IDS = new TypeReference<>() {
    };
    private static final TypeReference<List<Input>> INPUTS = new TypeReference<>() {
    };

    static final RowMapper<StoredAlert> ROW = StoredAlert::read;

    private static StoredAlert read(ResultSet rs, int i) throws SQLException {
        return new StoredAlert(rs.getLong("num"), rs.getString("alert_id"), rs.getString("rule"),
                rs.getInt("rule_version"), Level.valueOf(rs.getString("alert_level")), rs.getString("alert_key"),
                Domain.valueOf(rs.getString("domain")), rs.getString("region_code"), rs.getString("department_code"),
                instant(rs, "raised_at"), instant(rs, "resolved_at"), instant(rs, "cleared_at"),
                rs.getBoolean("calendar_missing"), rs.getString("calendar_version"),
                json(rs.getString("record_ids"), IDS), json(rs.getString("inputs"), INPUTS), rs.getString("message"),
                rs.getLong("last_seq"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static <T> T json(String text, TypeReference<T> type) {
        try {
            return CanonicalJson.mapper().readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Alert toAlert() {
        return new Alert(alertId, rule, ruleVersion, level, recordIds, regionCode, departmentCode, domain,
                Alert.beijing(raisedAt), Alert.beijing(resolvedAt), Alert.beijing(clearedAt), calendarMissing,
                calendarVersion, inputs, message);
    }

    boolean live() {
        return clearedAt == null;
    }
}

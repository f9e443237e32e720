package yingyan.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The last reconciliation run of each adapter that runs one, in the database so every node shows the same. */
@Repository
public class ReconciliationLog {
    private static final String SELECT = "SELECT adapter, started_at, finished_at, checked, missing, reread, error"
            + " FROM source_reconciliation";
    private final JdbcTemplate jdbc;

    /**
     * One run's figures.
     *
     * @param checked rows of the source compared with what the hub holds
     * @param missing of those, rows the hub did not hold in that content (a watermark missed them)
     * @param reread  of the missing, rows read again and queued
     * @param error   why the run stopped early, null when it went to the end
     */
    public record Run(String adapter, OffsetDateTime startedAt, OffsetDateTime finishedAt, long checked, long missing,
                      long reread, String error) {
    }

    public ReconciliationLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Run> last(String adapter) {
        return jdbc.query(SELECT + " WHERE adapter = ?", ReconciliationLog::run, adapter).stream().findFirst();
    }

    /** The last run of every adapter that has run one, by adapter. */
    public Map<String, Run> lastOfEach() {
        Map<String, Run> out = new HashMap<>();
        jdbc.query(SELECT, ReconciliationLog::run).forEach(r -> out.put(r.adapter(), r));
        return out;
    }

    private static Run run(ResultSet rs, int n) throws SQLException {
        return new Run(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7));
    }

    @Transactional
    public void record(Run r) {
        String error = r.error() == null || r.error().length() <= 1000 ? r.error() : r.error().substring(0, 1000);
        Object[] values = {r.startedAt().withOffsetSameInstant(ZoneOffset.UTC),
                r.finishedAt().withOffsetSameInstant(ZoneOffset.UTC), r.checked(), r.missing(), r.reread(), error,
                r.adapter()};
        int n = jdbc.update("UPDATE source_reconciliation SET started_at = ?, finished_at = ?, checked = ?,"
                + " missing = ?, reread = ?, error = ? WHERE adapter = ?", values);
        if (n == 0) {
            jdbc.update("INSERT INTO source_reconciliation (started_at, finished_at, checked, missing, reread, error,"
                    + " adapter) VALUES (?,?,?,?,?,?,?)", values);
        }
    }
}

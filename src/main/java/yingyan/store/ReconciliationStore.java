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
import yingyan.spi.ReconciliationLog;

/** The {@link ReconciliationLog}, in table {@code source_reconciliation} so every node shows the same. */
@Repository
public class ReconciliationStore implements ReconciliationLog {
    private static final String SELECT = "SELECT adapter, started_at, finished_at, checked, missing, reread, error"
            + " FROM source_reconciliation";
    private final JdbcTemplate jdbc;

    public ReconciliationStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Run> last(String adapter) {
        return jdbc.query(SELECT + " WHERE adapter = ?", ReconciliationStore::run, adapter).stream().findFirst();
    }

    /** The last run of every adapter that has run one, by adapter. */
    public Map<String, Run> lastOfEach() {
        Map<String, Run> out = new HashMap<>();
        jdbc.query(SELECT, ReconciliationStore::run).forEach(r -> out.put(r.adapter(), r));
        return out;
    }

    private static Run run(ResultSet rs, int n) throws SQLException {
        return new Run(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7));
    }

    @Override
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

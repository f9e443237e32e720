package yingyan.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import yingyan.spi.Watermarks;

/** The adapters' {@link Watermarks}, in table {@code watermark}. */
@Repository
public class WatermarkStore implements Watermarks {
    private final JdbcTemplate jdbc;

    public WatermarkStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> get(String adapter) {
        List<String> v = jdbc.queryForList("SELECT position FROM watermark WHERE adapter = ?", String.class, adapter);
        return v.stream().findFirst();
    }

    @Override
    @Transactional
    public void put(String adapter, String position) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int n = jdbc.update("UPDATE watermark SET position = ?, updated_at = ? WHERE adapter = ?", position, now, adapter);
        if (n == 0) {
            jdbc.update("INSERT INTO watermark (adapter, position, updated_at) VALUES (?,?,?)", adapter, position, now);
        }
    }

    /** Forgets the position, so the adapter reads its source from the beginning (or its configured start). */
    @Transactional
    public void reset(String adapter) {
        jdbc.update("DELETE FROM watermark WHERE adapter = ?", adapter);
    }
}

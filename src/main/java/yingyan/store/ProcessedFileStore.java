package yingyan.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import yingyan.spi.ProcessedFiles;

/** The {@link ProcessedFiles} of file-drop adapters, in table {@code processed_file}. */
@Repository
public class ProcessedFileStore implements ProcessedFiles {
    private final JdbcTemplate jdbc;

    public ProcessedFileStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean isProcessed(String adapter, FileKey key) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE adapter = ? AND file_name = ?"
                + " AND file_size = ? AND sha256 = ?", Integer.class, adapter, key.name(), key.size(), key.sha256());
        return n != null && n > 0;
    }

    @Override
    public void markProcessed(String adapter, FileKey key, long queued, long quarantined) {
        try {
            jdbc.update("INSERT INTO processed_file (adapter, file_name, file_size, sha256, queued, quarantined,"
                            + " processed_at) VALUES (?,?,?,?,?,?,?)", adapter, key.name(), key.size(), key.sha256(),
                    queued, quarantined, OffsetDateTime.now(ZoneOffset.UTC));
        } catch (DuplicateKeyException already) {
            // processed before (a crash between marking and moving the file): nothing to add
        }
    }
}

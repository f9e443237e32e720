package yingyan.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The persistent idempotent repository of file-drop adapters: a file (name + size + SHA-256) is
 * processed once, across restarts. Mark a file only after all its records are durably queued; a
 * crash before that re-reads the whole file, and the version rules drop what was already stored.
 */
@Repository
public class ProcessedFiles {
    private final JdbcTemplate jdbc;

    public ProcessedFiles(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Identity of a file's content. */
    public record FileKey(String name, long size, String sha256) {
    }

    /** Streams the file once to hash it (constant memory whatever its size). */
    public static FileKey keyOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
            return new FileKey(file.getFileName().toString(), size, HexFormat.of().formatHex(md.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isProcessed(String adapter, FileKey key) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM processed_file WHERE adapter = ? AND file_name = ?"
                + " AND file_size = ? AND sha256 = ?", Integer.class, adapter, key.name(), key.size(), key.sha256());
        return n != null && n > 0;
    }

    /** Records a processed file; a second mark of the same content is harmless. */
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

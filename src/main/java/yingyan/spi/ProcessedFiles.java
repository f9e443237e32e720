package yingyan.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The files a file-drop adapter has processed, across restarts: a file (name + size + SHA-256) is
 * processed once. Mark a file only after all its records are durably queued; a crash before that re-reads
 * the whole file, and the version rules drop what was already stored.
 */
public interface ProcessedFiles {

    /** Identity of a file's content. */
    record FileKey(String name, long size, String sha256) {
    }

    /** Streams the file once to hash it (constant memory whatever its size). */
    static FileKey keyOf(Path file) throws IOException {
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

    boolean isProcessed(String adapter, FileKey key);

    /** Records a processed file; a second mark of the same content is harmless. */
    void markProcessed(String adapter, FileKey key, long queued, long quarantined);
}

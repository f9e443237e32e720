package yingyan.adapters.landtransfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import yingyan.spi.ProcessedFiles;

/**
 * The first pass over an export, before any record is read: its identity (name + size + SHA-256, as
 * {@link ProcessedFiles} keys it) and whether a DOCTYPE or an entity declaration appears anywhere in it.
 * One streaming read in constant memory. The byte search is exact for UTF-8 and GB18030: {@code <} and
 * {@code !} are never trail bytes of a multi-byte character in either encoding.
 *
 * @param key the file's identity
 * @param refusedAtLine line of the first {@code <!DOCTYPE} or {@code <!ENTITY} (any case), 0 when there is none
 * @param head at most the first 64 KB of the file, for file-level quarantine entries
 */
record ExportScan(ProcessedFiles.FileKey key, long refusedAtLine, byte[] head) {
    static final int HEAD_LIMIT = 64 * 1024;
    private static final byte[] DOCTYPE = "<!DOCTYPE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTITY = "<!ENTITY".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern ENCODING = Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

    boolean refused() {
        return refusedAtLine > 0;
    }

    /** The encoding the prolog declares (UTF-8 when it declares none or one this JVM lacks). */
    Charset declaredCharset() {
        return declaredCharset(head);
    }

    static ExportScan of(Path file, String name) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] head = new byte[HEAD_LIMIT];
        int headLength = 0;
        long size = 0;
        long line = 1;
        long refusedAt = 0;
        int doctype = 0;
        int entity = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                if (headLength < HEAD_LIMIT) {
                    int take = Math.min(n, HEAD_LIMIT - headLength);
                    System.arraycopy(buf, 0, head, headLength, take);
                    headLength += take;
                }
                size += n;
                if (refusedAt > 0) {
                    continue; // still hashing the rest
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        line++;
                    }
                    byte u = b >= 'a' && b <= 'z' ? (byte) (b - 32) : b;
                    // '<' occurs only at the start of either pattern, so a mismatch restarts at 0 or 1.
                    doctype = u == DOCTYPE[doctype] ? doctype + 1 : u == '<' ? 1 : 0;
                    entity = u == ENTITY[entity] ? entity + 1 : u == '<' ? 1 : 0;
                    if (doctype == DOCTYPE.length || entity == ENTITY.length) {
                        refusedAt = line;
                        break;
                    }
                }
            }
        }
        byte[] h = new byte[headLength];
        System.arraycopy(head, 0, h, 0, headLength);
        return new ExportScan(new ProcessedFiles.FileKey(name, size, HexFormat.of().formatHex(md.digest())),
                refusedAt, h);
    }

    static Charset declaredCharset(byte[] head) {
        int from = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                && (head[2] & 0xff) == 0xBF ? 3 : 0;
        String prolog = new String(head, from, Math.min(200, head.length - from), StandardCharsets.ISO_8859_1);
        Matcher m = ENCODING.matcher(prolog);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalArgumentException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return "ExportScan[" + key + ", refusedAtLine=" + refusedAtLine + "]";
    }
}

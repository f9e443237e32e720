package yingyan.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import yingyan.canonical.ResidentIds;

/**
 * Looks for resident ID numbers in clear ({@link ResidentIds#findClear}: every shape, 18 characters with the right
 * check character, 17 digits without it, legacy 15 digits, spaced, dashed or full-width; masked forms such as
 * {@code 370783********1234} are fine) in text,
 * files and every column of every table of a database, and says where, masked. Counts what it read, for the
 * figures in the README.
 */
final class ClearIdScanner {
    /** One clear ID: where it was, and the number masked (the report must not leak it either). */
    record Leak(String where, String masked) {
        @Override
        public String toString() {
            return where + ": " + masked;
        }
    }

    private final List<Leak> leaks = new ArrayList<>();
    private int texts;
    private int files;
    private long lines;
    private int tables;
    private int columns;
    private long cells;

    ClearIdScanner text(String where, String text) {
        texts++;
        find(where, text);
        return this;
    }

    ClearIdScanner text(String where, byte[] bytes) {
        return text(where, new String(bytes, StandardCharsets.UTF_8));
    }

    /** A file, line by line (logs can be large), read as UTF-8 with anything undecodable replaced. */
    ClearIdScanner file(Path file) throws IOException {
        return file(file, 0);
    }

    /** A file from byte {@code offset} on (the part of a log written since then). */
    ClearIdScanner file(Path file, long offset) throws IOException {
        files++;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(offset, Files.size(file)));
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            BufferedReader r = new BufferedReader(reader);
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                find(file + (offset > 0 ? " (from byte " + offset + ")" : "") + " line " + n, line);
            }
            lines += n;
        }
        return this;
    }

    /** Every column of every table of the connection's schema: text as it is, binary as UTF-8. */
    ClearIdScanner database(DataSource db) throws SQLException, IOException {
        try (Connection c = db.getConnection()) {
            List<String> names = new ArrayList<>();
            try (ResultSet t = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (t.next()) {
                    names.add(t.getString("TABLE_NAME"));
                }
            }
            for (String table : names) {
                tables++;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                    ResultSetMetaData md = rs.getMetaData();
                    columns += md.getColumnCount();
                    long row = 0;
                    while (rs.next()) {
                        row++;
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            cells++;
                            String value = asText(rs.getObject(i));
                            if (value != null) {
                                find("table " + table + " column " + md.getColumnName(i) + " row " + row, value);
                            }
                        }
                    }
                }
            }
        }
        return this;
    }

    private static String asText(Object value) throws SQLException, IOException {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof Blob blob) {
            try (InputStream in = blob.getBinaryStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return value.toString();
    }

    private void find(String where, String text) {
        for (String id : ResidentIds.findClear(text)) {
            leaks.add(new Leak(where, ResidentIds.mask(id)));
        }
    }

    List<Leak> leaks() {
        return List.copyOf(leaks);
    }

    /** What was read: for the log line and the figures in docs/security.md. */
    String summary() {
        return String.format("%d texts, %d files (%d lines), %d tables (%d columns, %d cells); %d clear IDs", texts,
                files, lines, tables, columns, cells, leaks.size());
    }

    int tables() {
        return tables;
    }

    long cells() {
        return cells;
    }

    int texts() {
        return texts;
    }
}

package yingyan.adapters.housingfund;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.JsonLimits;
import yingyan.spi.Payloads;
import yingyan.spi.SourceItem;

/**
 * Reading the centre's tables: one keyset chunk per query, in plain SQL MariaDB (and H2 in MariaDB
 * mode) run, and each row turned into the source item whose stable JSON the payload hash is taken over.
 */
final class SourceDatabase {
    /** The centre's tables exactly as the spec gives them: for the demo database and the tests only. */
    static final List<String> SPEC_DDL = List.of("""
            CREATE TABLE GJJ_TQ (
              TQBH   VARCHAR(20) PRIMARY KEY,
              ZGXM   VARCHAR(50) NOT NULL,
              SFZH   VARCHAR(18) NOT NULL,
              TQLX   CHAR(2)     NOT NULL,
              TQJE   DECIMAL(14,2) NOT NULL,
              SQSJ   DATETIME    NOT NULL,
              SPR    VARCHAR(50),
              SPSJ   DATETIME,
              ZFSJ   DATETIME,
              ZT     CHAR(1)     NOT NULL,
              XZQH   CHAR(6)     NOT NULL,
              GXSJ   DATETIME    NOT NULL
            )""", """
            CREATE TABLE GJJ_DK (
              DKBH   VARCHAR(20) PRIMARY KEY,
              JKRXM  VARCHAR(50) NOT NULL,
              SFZH   VARCHAR(18) NOT NULL,
              DKJE   DECIMAL(14,2) NOT NULL,
              DKQX   INT NOT NULL,
              SQSJ   DATETIME NOT NULL, SPR VARCHAR(50), SPSJ DATETIME, FKSJ DATETIME,
              ZT     CHAR(1) NOT NULL,
              XZQH   CHAR(6) NOT NULL,
              GXSJ   DATETIME NOT NULL
            )""");

    private static final ObjectMapper JSON = JsonLimits.mapper();

    private SourceDatabase() {
    }

    /** A position in a table's (GXSJ, key) order, both as the database returned them. */
    record Keyset(String gxsj, String key) {
    }

    /** One row: every column by upper-case name, each value as the driver's {@code getString} gives it. */
    record Row(SourceTable table, Map<String, String> columns) {
        String key() {
            return columns.get(table.keyColumn());
        }

        Keyset position() {
            return new Keyset(columns.get(SourceTable.CHANGE_TIME), key());
        }
    }

    /**
     * The next chunk of rows after {@code after} in (GXSJ, key) order; from the first row when
     * {@code after} is null. Values are read as strings (DATETIME "yyyy-MM-dd HH:mm:ss", DECIMAL with its
     * scale, NULL as null), which is what MariaDB Connector/J and H2 both give; GXSJ is bound back as
     * that same string so the comparison happens in the database, in its own type and collation.
     */
    static List<Row> chunk(Connection c, SourceTable t, Keyset after, int limit, int queryTimeoutSeconds)
            throws SQLException {
        String order = " ORDER BY " + SourceTable.CHANGE_TIME + ", " + t.keyColumn() + " LIMIT ?";
        String sql = after == null
                ? "SELECT * FROM " + t.name() + order
                : "SELECT * FROM " + t.name() + " WHERE (" + SourceTable.CHANGE_TIME + " > ? OR ("
                + SourceTable.CHANGE_TIME + " = ? AND " + t.keyColumn() + " > ?))" + order;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            int i = 1;
            if (after != null) {
                ps.setString(i++, after.gxsj());
                ps.setString(i++, after.gxsj());
                ps.setString(i++, after.key());
            }
            ps.setInt(i, limit);
            return rows(ps, t, limit);
        }
    }

    private static List<Row> rows(PreparedStatement ps, SourceTable t, int limit) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            String[] names = new String[n];
            for (int col = 1; col <= n; col++) {
                names[col - 1] = md.getColumnLabel(col).toUpperCase(Locale.ROOT);
            }
            List<Row> rows = new ArrayList<>(Math.min(limit, 1024));
            while (rs.next()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (int col = 1; col <= n; col++) {
                    values.put(names[col - 1], rs.getString(col));
                }
                rows.add(new Row(t, values));
            }
            return rows;
        }
    }

    /**
     * The next chunk, in key order, of the rows whose GXSJ is before {@code settled} (those a watermark says
     * were read), after key {@code afterKey} (from the first when null): what a reconciliation compares.
     */
    static List<Row> settledChunk(Connection c, SourceTable t, String settled, String afterKey, int limit,
                                  int queryTimeoutSeconds) throws SQLException {
        String sql = "SELECT * FROM " + t.name() + " WHERE " + SourceTable.CHANGE_TIME + " < ?"
                + (afterKey == null ? "" : " AND " + t.keyColumn() + " > ?") + " ORDER BY " + t.keyColumn() + " LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            int i = 1;
            ps.setString(i++, settled);
            if (afterKey != null) {
                ps.setString(i++, afterKey);
            }
            ps.setInt(i, limit);
            return rows(ps, t, limit);
        }
    }

    /**
     * The database's own clock, to the second, as Beijing local time (as GXSJ is). Not {@code NOW()} as it comes:
     * MariaDB gives it in the server's time zone, which may be UTC while GXSJ is Beijing time; MariaDB's
     * {@code UTC_TIMESTAMP()} is the same clock in a known zone. Elsewhere (H2 for the demo and the tests) the
     * standard {@code CURRENT_TIMESTAMP}, with its offset.
     */
    static LocalDateTime now(Connection c, int queryTimeoutSeconds) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        boolean mariaDb = product.contains("mariadb") || product.contains("mysql");
        try (PreparedStatement ps = c.prepareStatement(mariaDb ? "SELECT UTC_TIMESTAMP()" : "SELECT CURRENT_TIMESTAMP")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the database did not tell its time");
                }
                OffsetDateTime at = mariaDb ? rs.getObject(1, LocalDateTime.class).atOffset(ZoneOffset.UTC)
                        : rs.getObject(1, OffsetDateTime.class);
                return at.atZoneSameInstant(CanonicalTime.BEIJING).toLocalDateTime().withNano(0);
            }
        }
    }

    /**
     * The source item of a row. Raw bytes = compact UTF-8 JSON with keys sorted at every level:
     * {@code {"row":{"<COLUMN>":"<value as read>"|null,...},"table":"GJJ_TQ"}} — self-sufficient for
     * quarantine release, and the same row content always gives the same bytes.
     */
    static SourceItem item(Row row, OffsetDateTime fetchedAt) {
        ObjectNode root = JSON.createObjectNode();
        root.put("table", row.table().name());
        ObjectNode cols = root.putObject("row");
        row.columns().forEach(cols::put);
        String key = row.key();
        return SourceItem.utf8(HousingFundMapper.ADAPTER_ID, key == null ? null : row.table().sourceKey(key),
                Payloads.stableJson(root), origin(row), fetchedAt);
    }

    /** Where a person finds the row: table, key and change time. */
    static String origin(Row row) {
        return row.table().name() + " " + row.table().keyColumn() + "=" + row.key() + " ("
                + SourceTable.CHANGE_TIME + " " + row.columns().get(SourceTable.CHANGE_TIME) + ")";
    }

    /** A JDBC URL as it may be shown: host, port and database, never parameters (they may hold credentials). */
    static String describe(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        String s = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
        int slashes = s.indexOf("//");
        if (slashes >= 0) {
            s = s.substring(slashes + 2);
            int at = s.lastIndexOf('@', firstOf(s, "/?;"));
            if (at >= 0) {
                s = s.substring(at + 1);
            }
        }
        return s.substring(0, firstOf(s, "?;"));
    }

    private static int firstOf(String s, String chars) {
        int min = s.length();
        for (char ch : chars.toCharArray()) {
            int i = s.indexOf(ch);
            if (i >= 0 && i < min) {
                min = i;
            }
        }
        return min;
    }
}

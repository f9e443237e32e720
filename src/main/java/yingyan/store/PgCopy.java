package yingyan.store;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import org.postgresql.PGConnection;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL's {@code COPY … FROM STDIN} (text format) on the connection of the current transaction: the
 * fastest way to load a batch's rows, one round trip and no statement parsed per row. Only where the
 * connection is PostgreSQL's; {@link #availableOn} says so (the quick start's H2 takes JDBC batches).
 */
public final class PgCopy {
    private final StringBuilder rows = new StringBuilder(64 * 1024);

    private PgCopy() {
    }

    /**
     * Whether the hub's connections are PostgreSQL's: asked on the first call, not before (a store is built
     * before the database need answer), then remembered, since the answer never changes.
     */
    public static BooleanSupplier availableOn(JdbcTemplate jdbc) {
        return new BooleanSupplier() {
            private volatile Boolean known;

            @Override
            public boolean getAsBoolean() {
                Boolean k = known;
                if (k == null) {
                    k = Boolean.TRUE.equals(jdbc.execute(
                            (ConnectionCallback<Boolean>) c -> c.isWrapperFor(PGConnection.class)));
                    known = k;
                }
                return k;
            }
        };
    }

    public static PgCopy rows() {
        return new PgCopy();
    }

    /** Appends one row; values as COPY's text format reads them (null, booleans t/f, the rest as text). */
    public PgCopy row(Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                rows.append('\t');
            }
            Object v = values[i];
            if (v == null) {
                rows.append("\\N");
            } else if (v instanceof Boolean b) {
                rows.append(b ? 't' : 'f');
            } else {
                escape(v.toString());
            }
        }
        rows.append('\n');
        return this;
    }

    private void escape(String s) {
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            switch (ch) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(ch);
            }
        }
    }

    public boolean isEmpty() {
        return rows.length() == 0;
    }

    /** {@code COPY table (columns) FROM STDIN} with the rows appended, in the current transaction. */
    public long into(JdbcTemplate jdbc, String tableAndColumns) {
        String sql = "COPY " + tableAndColumns + " FROM STDIN";
        Long n = jdbc.execute((ConnectionCallback<Long>) c -> copy(c, sql));
        return n == null ? 0 : n;
    }

    /** The same on a plain JDBC connection of PostgreSQL's (the benchmark's floor). */
    public long into(Connection c, String tableAndColumns) throws SQLException {
        return copy(c, "COPY " + tableAndColumns + " FROM STDIN");
    }

    private long copy(Connection c, String sql) throws SQLException {
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(rows.toString()));
        } catch (IOException e) {
            // Only the connection can fail here (the rows are in memory): the database is away.
            throw new DataAccessResourceFailureException("COPY into the municipal database failed: " + e.getMessage(), e);
        }
    }
}

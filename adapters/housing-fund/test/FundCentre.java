package yingyan.adapters.housingfund;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.Services;

/**
 * The fund centre's MariaDB for tests elsewhere (the fault suite): a fresh schema on the shared server
 * with the spec's tables, withdrawals written and changed as the centre's application would, and what
 * they must come to in the hub, read back from the centre's own rows.
 */
public final class FundCentre implements AutoCloseable {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final String RESIDENT_ID = "370702198503150010";

    private final String url;

    private FundCentre(String url) {
        this.url = url;
    }

    /** A fresh schema with GJJ_TQ and GJJ_DK (skips or fails the test as {@link Services} does without MariaDB). */
    public static FundCentre create(String prefix) throws SQLException {
        FundCentre c = new FundCentre(Services.freshMariaDbSchema(prefix));
        try (Connection con = c.connect(); Statement s = con.createStatement()) {
            for (String ddl : SourceDatabase.SPEC_DDL) {
                s.execute(ddl);
            }
        }
        return c;
    }

    /** The schema's JDBC URL (for {@code hub.adapters.housing-fund.jdbc-url}). */
    public String jdbcUrl() {
        return url;
    }

    /** The same schema reached through another host and port (e.g. a gate in front of the server). */
    public String jdbcUrlVia(String host, int port) {
        return "jdbc:mariadb://" + host + ":" + port + URI.create(url.substring("jdbc:".length())).getPath();
    }

    public String host() {
        return URI.create(url.substring("jdbc:".length())).getHost();
    }

    public int port() {
        return URI.create(url.substring("jdbc:".length())).getPort();
    }

    public static String user() {
        return Services.mariaDbUser();
    }

    public static String password() {
        String p = System.getenv("YINGYAN_IT_MARIADB_PASSWORD");
        return p == null ? "" : p;
    }

    /** The centre's clock, as GXSJ is stamped: Beijing time to the second. */
    public static LocalDateTime now() {
        return LocalDateTime.now(CanonicalTime.BEIJING).withNano(0);
    }

    /** Applications for withdrawals {@code <prefix>-00000}… ({@code count} of them), all stamped {@code gxsj}. */
    public void applyForWithdrawals(String prefix, int from, int count, LocalDateTime gxsj) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH,"
                + " TQLX, TQJE, SQSJ, ZT, XZQH, GXSJ) VALUES (?, '某职工', ?, '01', ?, ?, '0', '370702', ?)")) {
            c.setAutoCommit(false);
            for (int i = from; i < from + count; i++) {
                ps.setString(1, key(prefix, i));
                ps.setString(2, RESIDENT_ID);
                ps.setString(3, (1000 + i) + ".00");
                ps.setString(4, gxsj.format(T));
                ps.setString(5, gxsj.format(T));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Withdrawals approved and paid at {@code gxsj} (a newer version of each). */
    public int payWithdrawals(String prefix, int from, int count, LocalDateTime gxsj) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("UPDATE GJJ_TQ SET ZT = '2',"
                + " SPR = '王审批', SPSJ = ?, ZFSJ = ?, GXSJ = ? WHERE TQBH >= ? AND TQBH < ?")) {
            for (int i = 1; i <= 3; i++) {
                ps.setString(i, gxsj.format(T));
            }
            ps.setString(4, key(prefix, from));
            ps.setString(5, key(prefix, from + count));
            return ps.executeUpdate();
        }
    }

    public static String key(String prefix, int i) {
        return String.format("%s-%05d", prefix, i);
    }

    /** Every withdrawal in the centre's table, as the record it must be in the hub, at its GXSJ. */
    public Map<String, Produced> produced() throws SQLException {
        Map<String, Produced> out = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TQBH, DATE_FORMAT(GXSJ, '%Y-%m-%d %H:%i:%s') FROM GJJ_TQ")) {
            while (rs.next()) {
                out.put(HousingFundMapper.ADAPTER_ID + ":TQ-" + rs.getString(1),
                        Produced.at(CanonicalTime.parseSource(rs.getString(2))));
            }
        }
        return out;
    }

    /** Drops the schema. */
    @Override
    public void close() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + URI.create(url.substring("jdbc:".length())).getPath().substring(1));
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user(), password());
    }
}

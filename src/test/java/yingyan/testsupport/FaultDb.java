package yingyan.testsupport;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The fault tests' look at a hub's PostgreSQL database from outside the hub (a connection per query). */
public final class FaultDb {
    private FaultDb() {
    }

    public static JdbcTemplate jdbc(String url) {
        return new JdbcTemplate(new DriverManagerDataSource(url, Services.pgUser(), ""));
    }

    /** One number (a count, a sum), 0 for none. */
    public static long count(JdbcTemplate db, String sql, Object... args) {
        Long n = db.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}

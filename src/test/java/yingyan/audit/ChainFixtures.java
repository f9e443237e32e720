package yingyan.audit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import yingyan.canonical.Domain;
import yingyan.feed.FeedFixtures;
import yingyan.store.FlowMinutes;
import yingyan.store.RecordStore;

/**
 * A municipal database written the way the hub writes it (Flyway's migrations, {@link RecordStore},
 * {@link AuditLog}), without a hub around it, for the tamper tests: every test gets its own.
 */
public final class ChainFixtures {
    public final String url;
    public final DataSource dataSource;
    public final JdbcTemplate jdbc;
    public final RecordStore records;
    public final AuditLog audit;

    private ChainFixtures(String url, String user) {
        this.url = url;
        this.dataSource = new DriverManagerDataSource(url, user, "");
        this.jdbc = new JdbcTemplate(dataSource);
        this.records = new RecordStore(jdbc, new SimpleMeterRegistry(), new FlowMinutes(jdbc));
        this.audit = new AuditLog(jdbc, new DataSourceTransactionManager(dataSource));
    }

    /** A fresh in-memory H2 database (PostgreSQL mode, as the hub runs it), migrated to the newest version. */
    public static ChainFixtures h2() {
        return migrated("jdbc:h2:mem:verify-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", null);
    }

    /** The same, migrated only up to {@code version} (to write what an older hub wrote). */
    public static ChainFixtures migrated(String url, String user, String version) {
        ChainFixtures f = new ChainFixtures(url, user);
        f.migrate(version);
        return f;
    }

    public void migrate(String version) {
        var config = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration",
                // as the hub's conf/ does with db/vendor/{vendor}
                "classpath:db/vendor/" + org.springframework.boot.jdbc.DatabaseDriver.fromJdbcUrl(url).getId());
        if (version != null) {
            config.target(version);
        }
        config.load().migrate();
    }

    /**
     * The history the tests tamper with: seqs 1..6 over three records (A has versions at seqs 1, 3 and 5;
     * B at 2 and 6; C at 4), each version owed to the province, and three audited actions.
     */
    public ChainFixtures filled() {
        records.apply(List.of(rec("A", 1), rec("B", 1)));
        records.apply(List.of(rec("A", 2), rec("C", 1)));
        records.apply(List.of(rec("A", 3)));
        records.apply(List.of(rec("B", 2)));
        audit.record("operator", "POST /api/v1/quarantine/{id}/release", "/api/v1/quarantine/7/release",
                "HTTP 200: RELEASED as approvals:X");
        audit.record("operator", "POST /api/v1/province/batches/retry-failed", "/api/v1/province/batches/retry-failed",
                "HTTP 200: 2 batches retried");
        audit.record("admin", "POST /api/v1/adapters/{adapter}/backfill", "/api/v1/adapters/approvals/backfill",
                "HTTP 202: backfill of approvals started");
        return this;
    }

    static yingyan.canonical.CanonicalRecord rec(String key, int version) {
        return FeedFixtures.rec(key, version, "370783", Domain.APPROVAL);
    }

    /** Gives two rows of a table each other's seq (through a free seq: seq is the primary key). */
    public void swapSeqs(String table, long a, long b) {
        jdbc.update("UPDATE " + table + " SET seq = -1 WHERE seq = ?", a);
        jdbc.update("UPDATE " + table + " SET seq = ? WHERE seq = ?", a, b);
        jdbc.update("UPDATE " + table + " SET seq = ? WHERE seq = -1", b);
    }

    public VerifyReport verify() throws java.sql.SQLException {
        return new Verifier(dataSource).verify();
    }
}

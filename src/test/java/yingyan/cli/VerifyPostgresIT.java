package yingyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import yingyan.audit.ChainFixtures;
import yingyan.testsupport.Services;

/**
 * {@code yingyan verify} against PostgreSQL, as in production: a history written by the hub's own code
 * verifies; two versions given each other's seqs, and an audit entry edited, are found and located.
 */
class VerifyPostgresIT {

    private String url;

    @AfterEach
    void dropDatabase() throws SQLException {
        if (url == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/')) + "/postgres",
                Services.pgUser(), "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + url.substring(url.lastIndexOf('/') + 1) + " WITH (FORCE)");
        }
    }

    @Test
    void aReorderedHistoryAndAnEditedAuditEntryAreFoundOnPostgres() {
        url = Services.freshPostgresDatabase("yingyan_verify");
        ChainFixtures db = ChainFixtures.migrated(url, Services.pgUser(), null).filled();

        CliRun intact = CliRun.run(null, "verify", "--jdbc-url", url, "--db-user", Services.pgUser());
        assertThat(intact.exitCode()).as(intact.toString()).isZero();
        assertThat(intact.out()).contains("Intact").containsPattern("record_version chained\\s+6");

        db.swapSeqs("record_version", 4, 5);
        db.jdbc.update("UPDATE audit_log SET outcome = 'HTTP 200: nothing happened' WHERE seq = 3");

        CliRun tampered = CliRun.run(null, "verify", "--jdbc-url", url, "--db-user", Services.pgUser());

        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(1);
        assertThat(tampered.out())
                .contains("REORDERED record_version seq 4: holds the version of record fixture:A that was chained as seq 5")
                .contains("REORDERED record_version seq 5: holds the version of record fixture:C that was chained as seq 4")
                .contains("EDITED audit_log seq 3: its fields no longer give its hash")
                .contains("outcome=HTTP 200: nothing happened");
    }
}

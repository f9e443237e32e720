package yingyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import yingyan.audit.ChainFixtures;

/**
 * {@code yingyan verify} as an operator runs it against a database (no hub running): exit 0 and "Intact"
 * for a database as the hub wrote it, exit 1 naming table, seq and kind once a row was tampered with,
 * exit 2 when the database is not a hub's.
 */
class VerifyCommandTest {

    @Test
    void anIntactDatabaseVerifiesAndATamperedOneIsReportedWithWhereAndExitCode1() {
        ChainFixtures db = ChainFixtures.h2().filled();

        CliRun intact = CliRun.run(null, "verify", "--jdbc-url", db.url, "--db-user", "sa");

        assertThat(intact.exitCode()).as(intact.toString()).isZero();
        // Validation passed means every migration this jar holds is applied: the version is the newest one.
        assertThat(intact.out()).containsPattern("Schema version \\d+ \\(Flyway validation passed\\)").contains("Intact")
                .containsPattern("record_version chained\\s+6");

        db.jdbc.update("UPDATE record_version SET body = REPLACE(body, '\"OPEN\"', '\"CANCELLED\"') WHERE seq = 6");
        db.swapSeqs("audit_log", 2, 3);

        CliRun tampered = CliRun.run(null, "verify", "--jdbc-url", db.url, "--db-user", "sa");

        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(1);
        assertThat(tampered.out()).contains("the database was changed outside the hub")
                .contains("EDITED record_version seq 6: record fixture:B was changed after it was chained")
                .contains("$.status")
                .contains("REORDERED audit_log seq 2:").contains("REORDERED audit_log seq 3:");
    }

    @Test
    void aDatabaseThatIsNotAHubsIsRefusedWithExitCode2() {
        String empty = "jdbc:h2:mem:not-a-hub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

        CliRun r = CliRun.run(null, "verify", "--jdbc-url", empty, "--db-user", "sa");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("schema is not the one this hub's migrations make");
    }

    @Test
    void noCommandPrintsTheCommandsAndAnUnknownOneIsAUsageError() {
        CliRun help = CliRun.run(null, "help");
        assertThat(help.out()).contains("status").contains("backfill").contains("quarantine").contains("verify");

        CliRun unknown = CliRun.run(null, "frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("frobnicate");

        assertThat(Cli.isCommand(new String[]{"status"})).isTrue();
        assertThat(Cli.isCommand(new String[]{"--server.port=8081"})).as("options only: the hub runs").isFalse();
        assertThat(Cli.isCommand(new String[0])).isFalse();
    }
}

package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/**
 * What the persist step retries in place because the database is away, and what it hands back to the
 * broker because the batch is wrong. The shapes are those PostgreSQL gave when stopped with
 * {@code -m immediate} under load (PostgresOutageFaultIT).
 */
class PersisterOutageTest {

    @Test
    void aRollbackThatFailedOnADeadConnectionIsAnOutage() {
        TransactionSystemException e = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        e.initApplicationException(new UncategorizedSQLException("insert", "INSERT …",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")));
        assertThat(Persister.isOutage(e)).isTrue();
    }

    @Test
    void aCommitCutOffOrAServerShuttingDownIsAnOutage() {
        assertThat(Persister.isOutage(new TransactionSystemException("Could not commit JDBC transaction",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        assertThat(Persister.isOutage(new UncategorizedSQLException("select", "SELECT …",
                new SQLException("terminating connection due to immediate shutdown command", "57P01")))).isTrue();
    }

    @Test
    void aBatchTheDatabaseRefusesIsNotAnOutage() {
        assertThat(Persister.isOutage(new DataIntegrityViolationException("too long",
                new SQLException("value too long for type character varying(256)", "22001")))).isFalse();
        TransactionSystemException e = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        e.initApplicationException(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")));
        assertThat(Persister.isOutage(e)).isFalse();
    }
}

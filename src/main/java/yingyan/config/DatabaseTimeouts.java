package yingyan.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hub.database.*}: how long the hub waits on its own (municipal, PostgreSQL) database before it gives
 * up, so that a half-open connection (a dead router, a suspended VM: no reset, just silence) costs minutes,
 * not the hours TCP keepalive takes to notice — and above all, so that a silent session holding
 * {@code feed_lock} cannot stop every persist. Applied to a PostgreSQL datasource only ({@link DatabaseTimeoutsConfig});
 * the embedded H2 has no network to lose.
 *
 * @param connectTimeout          how long opening a connection may take (pgjdbc {@code connectTimeout})
 * @param socketTimeout           how long the hub waits for any answer from the server before it drops the
 *                                connection (pgjdbc {@code socketTimeout}); longer than the statement timeout, so
 *                                that a slow statement ends with the server's own clear cancel rather than this
 * @param statementTimeout        the server cancels a statement still running after this long
 *                                ({@code statement_timeout}); Flyway's migrations are exempt
 * @param lockTimeout             a statement waits at most this long for a lock ({@code lock_timeout}), e.g. a persist
 *                                for {@code feed_lock}: it then fails and is retried in place, instead of queueing
 *                                for hours behind a session that will never commit
 * @param idleInTransactionTimeout the server ends a session that sits this long inside a transaction with nothing
 *                                sent ({@code idle_in_transaction_session_timeout}): a client gone silent
 *                                mid-transaction, whose locks it then releases
 */
@ConfigurationProperties("hub.database")
@Validated
public record DatabaseTimeouts(
        @DefaultValue("10s") @NotNull Duration connectTimeout,
        @DefaultValue("150s") @NotNull Duration socketTimeout,
        @DefaultValue("120s") @NotNull Duration statementTimeout,
        @DefaultValue("30s") @NotNull Duration lockTimeout,
        @DefaultValue("60s") @NotNull Duration idleInTransactionTimeout) {

    /** The server settings, as pgjdbc's {@code options} startup parameter. */
    String serverOptions() {
        return "-c statement_timeout=" + statementTimeout.toMillis()
                + " -c lock_timeout=" + lockTimeout.toMillis()
                + " -c idle_in_transaction_session_timeout=" + idleInTransactionTimeout.toMillis();
    }
}

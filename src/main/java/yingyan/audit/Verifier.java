package yingyan.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Checks, directly in the municipal database, that what the hub wrote is still what it wrote:
 * <ol>
 *   <li>the history's hash chain ({@code record_version.chain_hash}, {@link HashChain#version}): each row
 *       recomputed from its predecessor; rows with no hash before the first chained row are legacy
 *       (applied before V5); {@code feed_lock.last_seq} / {@code chain_head} name the newest row;</li>
 *   <li>the audit log's chain ({@code audit_log}, {@link HashChain#action}) and its head {@code audit_head};</li>
 *   <li>history against ledger: one {@code province_delivery} row per version (from where retention left the
 *       ledger, {@code ledger_retention.pruned_below}) and none without one, each
 *       record's current row is its newest version with the same payload hash and body, and the ledger's
 *       states are ones the hub writes (ACCEPTED in a DONE batch, SUPERSEDED by a newer version...).</li>
 * </ol>
 * A break in a chain is diagnosed from the rows around it: a row whose content and hash fit another
 * position (tried against the seqs and hashes of the {@link ChainWindow#WINDOW} rows on either side) was
 * REORDERED; a gap in the seqs (which the hub hands out without holes) is DELETED; anything else is
 * EDITED, with what differs where another copy exists (the row's columns against its own body, a
 * current record against its version). Everything is read in one read-only, repeatable-read
 * transaction, so a hub writing meanwhile cannot produce false findings, and streamed row by row.
 * <p>
 * Each part is its own check ({@link HistoryChainCheck}, {@link AuditChainCheck}, {@link LedgerCheck}),
 * reporting to one {@link Findings}.
 */
public final class Verifier {
    /** Findings listed per check; the rest are counted. */
    public static final int MAX_LISTED = 100;

    private final DataSource dataSource;

    public Verifier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs every check; throws only when the database cannot be read. */
    public VerifyReport verify() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Findings f = new Findings();
                new HistoryChainCheck(c, f).run();
                new AuditChainCheck(c, f).run();
                new LedgerCheck(c, f).run();
                return new VerifyReport(List.copyOf(f.list), Map.copyOf(f.notListed), Map.copyOf(f.checked));
            } finally {
                c.rollback();
            }
        }
    }
}

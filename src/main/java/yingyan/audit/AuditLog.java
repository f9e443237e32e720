package yingyan.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.ResidentIds;
import yingyan.web.ListQuery;

/**
 * The tamper-evident log of operator actions (who, when, what, on what, outcome): each entry is the next
 * link of a hash chain ({@link HashChain#action}). Written in a transaction of its own, so an action that
 * fails or rolls back is still on record. Writers serialise on the {@code audit_head} row.
 */
@Component
public class AuditLog {
    private static final RowMapper<AuditEntry> ROW = (rs, i) -> new AuditEntry(rs.getLong("seq"),
            rs.getObject("at", OffsetDateTime.class), rs.getString("actor"), rs.getString("action"),
            rs.getString("target"), rs.getString("outcome"), rs.getString("prev_hash"), rs.getString("entry_hash"));
    private static final int MAX_TEXT = 4000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    public AuditLog(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records an action by the signed-in person (or {@code system} when nobody is signed in). */
    public AuditEntry record(String action, String target, String outcome) {
        return record(currentActor(), action, target, outcome);
    }

    /** Records an action by a named actor (e.g. {@code cli:operator}). Resident IDs are masked in every field. */
    public AuditEntry record(String actor, String action, String target, String outcome) {
        String who = clip(actor, 200);
        String what = clip(action, 100);
        String on = clip(ResidentIds.maskAll(target == null ? "" : target), 1000);
        String result = clip(ResidentIds.maskAll(outcome == null ? "" : outcome), MAX_TEXT);
        return ownTransaction.execute(s -> {
            jdbc.update("UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1");
            long[] seq = new long[1];
            String[] prev = new String[1];
            jdbc.query("SELECT last_seq, head FROM audit_head WHERE id = 1", rs -> {
                seq[0] = rs.getLong(1);
                prev[0] = rs.getString(2);
            });
            OffsetDateTime at = HashChain.stored(OffsetDateTime.now(ZoneOffset.UTC));
            String hash = HashChain.action(prev[0], seq[0], at, who, what, on, result);
            jdbc.update("INSERT INTO audit_log (seq, at, actor, action, target, outcome, prev_hash, entry_hash)"
                    + " VALUES (?,?,?,?,?,?,?,?)", seq[0], at, who, what, on, result, prev[0], hash);
            jdbc.update("UPDATE audit_head SET head = ? WHERE id = 1", hash);
            return new AuditEntry(seq[0], at, who, what, on, result, prev[0], hash);
        });
    }

    /**
     * Runs an operator action and records it with its outcome; an action that throws is recorded as
     * {@code FAILED: <message>} and the exception goes on to the caller.
     */
    public <T> T audited(String action, String target, Supplier<T> body, Function<T, String> outcome) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            record(action, target, "FAILED: " + e.getMessage());
            throw e;
        }
        record(action, target, outcome.apply(result));
        return result;
    }

    /** Newest first; {@code beforeSeq} pages backwards, null filters match everything. */
    public List<AuditEntry> list(String actor, String action, Long beforeSeq, int limit) {
        ListQuery q = new ListQuery("SELECT * FROM audit_log").and("actor = ?", actor).and("action = ?", action)
                .page("seq", beforeSeq, limit);
        return jdbc.query(q.sql(), ROW, q.args());
    }

    /** Every entry in chain order, for the verifier. */
    public List<AuditEntry> all() {
        return jdbc.query("SELECT * FROM audit_log ORDER BY seq", ROW);
    }

    static String currentActor() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a == null || !a.isAuthenticated() ? "system" : a.getName();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

package yingyan.audit;

import static yingyan.audit.Findings.missing;
import static yingyan.audit.StoredValues.trim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import yingyan.audit.VerifyReport.Kind;

/**
 * The walk both hash chains share ({@link HistoryChainCheck}, {@link AuditChainCheck}): the chained table is
 * streamed in seq order through a {@link ChainWindow}, a broken row is tried at its neighbours' places, and
 * the newest row is held against the chain's head row. What a row is and how its break reads stay with
 * each chain.
 */
abstract class ChainCheck<R extends ChainCheck.Row> {
    /** One chained row: its seq, and its hash as it would be chained after {@code prev} as seq {@code asSeq}. */
    interface Row {
        long seq();

        String hash(String prev, long asSeq);
    }

    /**
     * How a chain's head row and rows read in findings: the check (= the chained table), the head's table and
     * hash column, the chain as the missing head row names it, the hash's name, and what one row is called.
     */
    record Names(String check, String headTable, String headColumn, String chain, String hash, String version,
                 String row) {
    }

    /** The head row as stored: the newest seq it names and that row's hash. */
    record Head(long lastSeq, String hash) {
    }

    protected final Connection c;
    protected final Findings f;
    private final Names names;
    private final ChainWindow<R> window = new ChainWindow<>();

    ChainCheck(Connection c, Findings f, Names names) {
        this.c = c;
        this.f = f;
        this.names = names;
    }

    /** Streams the rows {@code select} returns (in seq order) through {@link #check}, then {@link #end}. */
    final void walk(String select, int fetchSize) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(select)) {
            s.setFetchSize(fetchSize);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    window.add(read(rs), this::check);
                }
            }
        }
        window.finish(this::check);
        end();
    }

    abstract R read(ResultSet rs) throws SQLException;

    /** Checks {@code rows[i]}, seeing up to {@link ChainWindow#WINDOW} rows on either side. */
    abstract void check(List<R> rows, int i) throws SQLException;

    /** After the last row: the head, and what was checked. */
    abstract void end() throws SQLException;

    /**
     * The seq {@code r} was chained as, when its content chained after one of {@code prevs} as another row's
     * seq gives one of {@code hashes}; null when it fits no other place.
     */
    static <R extends Row> Long placeOf(List<R> rows, R r, Collection<String> prevs, Set<String> hashes) {
        for (R asSeq : rows) {
            if (asSeq.seq() == r.seq()) {
                continue;
            }
            for (String p : prevs) {
                if (hashes.contains(r.hash(p, asSeq.seq()))) {
                    return asSeq.seq();
                }
            }
        }
        return null;
    }

    /** The head row (id 1); null, and reported DELETED, when it is gone. */
    final Head readHead() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_seq, " + names.headColumn + " FROM "
                + names.headTable + " WHERE id = 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                f.add(names.check, Kind.DELETED, names.headTable, null, names.chain + " head row (id 1) is missing");
                return null;
            }
            return new Head(rs.getLong(1), trim(rs.getString(2)));
        }
    }

    /**
     * The newest row against the head: a head further on means the newest rows were deleted, one behind
     * means rows were written outside the hub, another hash means the newest row (or the head) was changed.
     */
    final void compareHead(Head h, long newest, String newestHash) {
        String lastSeq = names.headTable + ".last_seq";
        if (h.lastSeq > newest) {
            f.add(names.check, Kind.DELETED, names.check, newest + 1, "the newest " + missing(newest, h.lastSeq + 1)
                    + " missing: " + lastSeq + " is " + h.lastSeq + ", the newest " + names.row + " is seq " + newest);
        } else if (h.lastSeq < newest) {
            f.add(names.check, Kind.INCONSISTENT, names.check, newest, "seq " + newest + " is beyond " + lastSeq
                    + " " + h.lastSeq + ": written outside the hub");
        } else if (!newestHash.equals(h.hash)) {
            f.add(names.check, Kind.EDITED, names.headTable, newest, names.headColumn + " does not match the "
                    + names.hash + " of the newest " + names.version + " (seq " + newest + "): that "
                    + names.version + " was changed and re-hashed, or the head was changed");
        }
    }
}

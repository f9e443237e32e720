package yingyan.supervision.alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Status;

/**
 * {@code supervision_record}: what set rules look records up by and which cases the clock revisits, from each
 * record's current version. Written by the follower before it evaluates a page (so a set sees the records of
 * its own page); rewriting a row is harmless, so it may run ahead of the follower's position after a crash.
 */
@Component
class SupervisionIndex {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    SupervisionIndex(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    void put(List<CanonicalRecord> records) {
        Map<String, CanonicalRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.recordId(), r));
        List<Object[]> rows = new ArrayList<>();
        for (CanonicalRecord r : byId.values()) {
            rows.add(new Object[]{r.recordId(), r.domain().name(),
                    r.department() == null ? null : r.department().code(),
                    r.party() == null ? null : r.party().creditCode(),
                    r.party() == null ? null : r.party().idHash(), r.status() == Status.OPEN});
        }
        tx.executeWithoutResult(s -> {
            AlertWriter.inChunks(byId.keySet(), (marks, chunk) ->
                    jdbc.update("DELETE FROM supervision_record WHERE record_id IN (" + marks + ")", chunk));
            jdbc.batchUpdate("INSERT INTO supervision_record (record_id, domain, department_code, credit_code, id_hash,"
                    + " is_open) VALUES (?,?,?,?,?,?)", rows);
        });
    }
}

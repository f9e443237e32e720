package yingyan.province;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.JsonLimits;
import yingyan.canonical.ResidentIds;
import yingyan.spi.Payloads;

/**
 * Forms alert batches ({@code province_alert_batch}, the exact body stored before the first send) from the
 * alert events ({@code alert_event}, each with the alert v1 as it stood after it) in seq order, from the alert
 * push's position on: the batch, its ledger rows and the moved position in one transaction, so every event is
 * taken exactly once, whatever restarts. An alert with several events in one batch goes once, in its newest
 * state (the province keeps the newest state by raisedAt, clearedAt; one alert twice in a batch would make its
 * answer ambiguous); the older events are filed SUPERSEDED.
 */
@Repository
class AlertBatchFormer {
    private static final ObjectMapper JSON = JsonLimits.mapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    AlertBatchFormer(JdbcTemplate jdbc, PlatformTransactionManager txm) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(txm);
    }

    /** An alert event as it goes into a batch: the alert v1 body with resident IDs masked (there should be none). */
    record Event(long seq, String alertId, String kind, String body) {
    }

    /** The next batch from the events after the position, stored; empty when there is no new event. */
    Optional<Batch> formNext(String region, int maxAlerts, long maxBytes) {
        return tx.execute(s -> {
            Long position = jdbc.queryForObject("SELECT last_seq FROM province_alert_position WHERE id = 1 FOR UPDATE",
                    Long.class);
            List<Event> events = jdbc.query("SELECT seq, kind, body FROM alert_event WHERE seq > ? ORDER BY seq"
                    + " FETCH FIRST " + maxAlerts + " ROWS ONLY", (rs, i) -> event(rs.getLong(1), rs.getString(2),
                    rs.getString(3)), position);
            if (events.isEmpty()) {
                return Optional.empty();
            }
            String batchId = BatchFormer.newBatchId(region);
            long size = BatchFormer.envelope(batchId, region, "alerts");
            Map<String, Event> newest = new LinkedHashMap<>();
            Map<Long, Long> superseded = new LinkedHashMap<>();
            long last = position;
            for (Event e : events) {
                Event older = newest.get(e.alertId());
                long add = bytes(e) + (newest.isEmpty() ? 0 : 1) - (older == null ? 0 : bytes(older) + 1);
                if (!newest.isEmpty() && size + add > maxBytes) {
                    break;
                }
                if (older != null) {
                    newest.remove(e.alertId());
                    superseded.put(older.seq(), e.seq());
                }
                newest.put(e.alertId(), e); // the alert goes where its newest event stands in seq order
                size += add;
                last = e.seq();
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Batch b = store(batchId, region, new ArrayList<>(newest.values()), now);
            List<Object[]> gone = new ArrayList<>();
            for (Event e : events) {
                if (superseded.containsKey(e.seq())) {
                    gone.add(new Object[]{e.seq(), e.alertId(), e.kind(), now, batchId, superseded.get(e.seq())});
                }
            }
            jdbc.batchUpdate("INSERT INTO province_alert_delivery (event_seq, alert_id, kind, state, since, batch_id,"
                    + " superseded_by) VALUES (?,?,?,'SUPERSEDED',?,?,?)", gone);
            jdbc.update("UPDATE province_alert_position SET last_seq = ? WHERE id = 1", last);
            return Optional.of(b);
        });
    }

    /** 413: the batch's alerts go in two halves, each a new batch, in the same order. */
    void split(Batch b, String region, String reason) {
        tx.executeWithoutResult(s -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            List<Event> events = jdbc.query("SELECT e.seq, e.kind, e.body FROM alert_event e"
                    + " JOIN province_alert_delivery d ON d.event_seq = e.seq WHERE d.batch_id = ? AND d.state = 'SENDING'"
                    + " ORDER BY e.seq", (rs, i) -> event(rs.getLong(1), rs.getString(2), rs.getString(3)), b.batchId());
            jdbc.update("UPDATE province_alert_batch SET state = 'SPLIT', http_status = 413, failure_reason = ?,"
                    + " completed_at = ? WHERE batch_id = ?", DeliveryLedger.trim(reason), now, b.batchId());
            jdbc.update("DELETE FROM province_alert_delivery WHERE batch_id = ? AND state = 'SENDING'", b.batchId());
            int half = events.size() / 2;
            store(BatchFormer.newBatchId(region), region, events.subList(0, half), now);
            store(BatchFormer.newBatchId(region), region, events.subList(half, events.size()), now);
        });
    }

    /** Stores a batch of these events, each SENDING in it. */
    private Batch store(String batchId, String region, List<Event> events, OffsetDateTime now) {
        byte[] body = BatchFormer.body(batchId, region, "alerts", events.stream().map(Event::body).toList());
        long first = events.get(0).seq();
        long last = events.stream().mapToLong(Event::seq).max().orElse(first);
        jdbc.update("INSERT INTO province_alert_batch (batch_id, state, body, body_sha256, body_size, alert_count,"
                        + " first_seq, last_seq, created_at, attempts, next_attempt_at) VALUES (?,'SENDING',?,?,?,?,?,?,?,0,?)",
                batchId, body, Payloads.sha256(body), body.length, events.size(), first, last, now, now);
        jdbc.batchUpdate("INSERT INTO province_alert_delivery (event_seq, alert_id, kind, state, since, batch_id)"
                + " VALUES (?,?,?,'SENDING',?,?)", events.stream()
                .map(e -> new Object[]{e.seq(), e.alertId(), e.kind(), now, batchId}).toList());
        return new Batch(0, batchId, "SENDING", body, events.size(), first, last, 0, now, now, null, null, null,
                null, null, body.length);
    }

    private static Event event(long seq, String kind, String body) {
        try {
            String masked = ResidentIds.maskAll(body);
            return new Event(seq, JSON.readTree(masked).path("alertId").asText(), kind, masked);
        } catch (IOException e) {
            throw new UncheckedIOException("alert event " + seq + " is not alert v1 JSON", e);
        }
    }

    private static long bytes(Event e) {
        return e.body().getBytes(StandardCharsets.UTF_8).length;
    }
}

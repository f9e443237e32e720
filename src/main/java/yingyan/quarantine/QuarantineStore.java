package yingyan.quarantine;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.Charset;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import yingyan.config.HubProperties;
import yingyan.spi.Quarantine;
import yingyan.store.PgCopy;
import yingyan.web.ListQuery;

/**
 * Items that could not become valid records, with the raw bytes encrypted at rest. The same bad
 * item seen again (overlapping polls, a re-export) stays one open entry whose occurrences grow.
 */
@Repository
public class QuarantineStore implements Quarantine {
    private static final String COLUMNS = "id, adapter, source_key, origin, field, reason, payload_sha256, raw_size,"
            + " received_at, last_seen_at, occurrences, state, released_at, release_outcome, record_id";
    private static final RowMapper<QuarantineEntry> ROW = (rs, i) -> new QuarantineEntry(rs.getLong(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
            rs.getLong(8), rs.getObject(9, OffsetDateTime.class), rs.getObject(10, OffsetDateTime.class),
            rs.getInt(11), rs.getString(12), rs.getObject(13, OffsetDateTime.class), rs.getString(14),
            rs.getString(15));

    /**
     * PostgreSQL: one upsert on the unique open key (adapter, payload hash while OPEN; V11_1); a second
     * consumer inserting the same item waits for the first and then counts an occurrence.
     */
    private static final String OPEN_PG = "INSERT INTO quarantine (adapter, source_key, origin, field, reason,"
            + " payload_sha256, raw_encrypted, raw_charset, raw_size, received_at, last_seen_at, occurrences, state,"
            + " raw_key_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,1,?,?)"
            + " ON CONFLICT (adapter, open_key) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at,"
            + " occurrences = quarantine.occurrences + 1, origin = EXCLUDED.origin, reason = EXCLUDED.reason,"
            + " field = EXCLUDED.field"
            + " RETURNING id, occurrences";
    /** H2 has no ON CONFLICT … DO UPDATE: the same as one MERGE on the same unique key. */
    private static final String OPEN_H2 = "SELECT id, occurrences FROM FINAL TABLE (MERGE INTO quarantine q USING"
            + " (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(256)), CAST(? AS VARCHAR(1000)),"
            + " CAST(? AS VARCHAR(300)), CAST(? AS VARCHAR(4000)), CAST(? AS CHAR(64)), CAST(? AS VARBINARY),"
            + " CAST(? AS VARCHAR(32)), CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(16)), CAST(? AS INTEGER)))"
            + " s (adapter, source_key, origin, field, reason, payload_sha256, raw_encrypted, raw_charset, raw_size,"
            + " received_at, last_seen_at, state, raw_key_id)"
            + " ON q.adapter = s.adapter AND q.open_key = s.payload_sha256"
            + " WHEN MATCHED THEN UPDATE SET last_seen_at = s.last_seen_at, occurrences = q.occurrences + 1,"
            + " origin = s.origin, reason = s.reason, field = s.field"
            + " WHEN NOT MATCHED THEN INSERT (adapter, source_key, origin, field, reason, payload_sha256,"
            + " raw_encrypted, raw_charset, raw_size, received_at, last_seen_at, occurrences, state, raw_key_id)"
            + " VALUES (s.adapter, s.source_key, s.origin, s.field, s.reason, s.payload_sha256, s.raw_encrypted,"
            + " s.raw_charset, s.raw_size, s.received_at, s.last_seen_at, 1, s.state, s.raw_key_id))";
    /** H2's MERGE does not wait for a concurrent insert of the same key: it fails, and the next try counts. */
    private static final int H2_ATTEMPTS = 20;
    private static final RowMapper<long[]> OPENED = (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)};

    private final JdbcTemplate jdbc;
    private final QuarantineCipher cipher;
    private final MeterRegistry meters;
    /** Whether the database is PostgreSQL (asked once, on first use). */
    private final BooleanSupplier postgres;

    public QuarantineStore(JdbcTemplate jdbc, HubProperties hub, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.postgres = PgCopy.availableOn(jdbc);
        this.cipher = new QuarantineCipher(hub.quarantine());
        this.meters = meters;
    }

    /** One statement on a unique key, so concurrent consumers never open an entry twice. */
    @Override
    @Transactional
    public long add(String adapter, String sourceKey, String origin, String field, String reason,
                    String payloadSha256, byte[] raw, Charset charset) {
        return open(adapter, sourceKey, origin, field, reason, payloadSha256, raw, charset).id();
    }

    /** The open entry an {@link #add} stored or counted, and whether that add opened it. */
    public record Opened(long id, boolean isNew) {
    }

    /** {@link #add}, telling also whether the entry is new (first seen, or seen again after its release). */
    @Transactional
    public Opened open(String adapter, String sourceKey, String origin, String field, String reason,
                       String payloadSha256, byte[] raw, Charset charset) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Object[] args = {adapter, cut(sourceKey, 256), cut(origin, 1000), cut(field, 300), cut(reason, 4000),
                payloadSha256, cipher.encrypt(raw), charset.name(), raw.length, now, now, QuarantineEntry.OPEN,
                cipher.currentKeyId()};
        long[] opened = postgres.getAsBoolean() ? jdbc.queryForObject(OPEN_PG, OPENED, args) : mergeH2(args);
        boolean isNew = opened[1] == 1;
        if (isNew) {
            meters.counter("yingyan.records.quarantined", "adapter", adapter).increment();
        }
        return new Opened(opened[0], isNew);
    }

    private long[] mergeH2(Object[] args) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbc.queryForObject(OPEN_H2, OPENED, args);
            } catch (DuplicateKeyException e) {
                if (attempt == H2_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    public Optional<QuarantineEntry> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM quarantine WHERE id = ?", ROW, id).stream().findFirst();
    }

    /** Newest first; {@code beforeId} pages backwards (null for the first page). */
    public List<QuarantineEntry> list(String adapter, String state, Long beforeId, int limit) {
        return list(new Filter(adapter, state, null, null, null), beforeId, limit);
    }

    /** Newest first, filtered; {@code beforeId} pages backwards (null for the first page). */
    public List<QuarantineEntry> list(Filter f, Long beforeId, int limit) {
        // Case-insensitive substring; % and _ typed by a person are meant literally.
        String reasonLike = f.reasonContains() == null || f.reasonContains().isBlank() ? null
                : "%" + f.reasonContains().trim().toLowerCase(Locale.ROOT)
                        .replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        ListQuery q = new ListQuery("SELECT " + COLUMNS + " FROM quarantine").and("adapter = ?", f.adapter())
                .and("state = ?", f.state()).and("LOWER(reason) LIKE ? ESCAPE '!'", reasonLike)
                .and("received_at >= ?", f.receivedFrom()).and("received_at < ?", f.receivedBefore())
                .page("id", beforeId, limit);
        return jdbc.query(q.sql(), ROW, q.args());
    }

    /**
     * What to list; null means any.
     *
     * @param reasonContains case-insensitive part of the reason
     * @param receivedFrom   first received at or after
     * @param receivedBefore first received before
     */
    public record Filter(String adapter, String state, String reasonContains, OffsetDateTime receivedFrom,
                         OffsetDateTime receivedBefore) {
    }

    /** Open entries per adapter (adapters without any are absent). */
    public Map<String, Long> countOpenByAdapter() {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("SELECT adapter, COUNT(*) FROM quarantine WHERE state = ? GROUP BY adapter", rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        }, QuarantineEntry.OPEN);
        return out;
    }

    public long countOpen(String adapter) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM quarantine WHERE adapter = ? AND state = ?", Long.class,
                adapter, QuarantineEntry.OPEN);
        return n == null ? 0 : n;
    }

    /** The decrypted raw bytes and their charset: for re-mapping on release, and for masked display only. */
    public Optional<RawPayload> raw(long id) {
        return jdbc.query("SELECT raw_encrypted, raw_charset FROM quarantine WHERE id = ?",
                (rs, i) -> new RawPayload(cipher.decrypt(rs.getBytes(1)), Charset.forName(rs.getString(2))), id)
                .stream().findFirst();
    }

    @Transactional
    public void markReleased(long id, String recordId, String outcome) {
        jdbc.update("UPDATE quarantine SET state = ?, released_at = ?, record_id = ?, release_outcome = ? WHERE id = ?",
                QuarantineEntry.RELEASED, OffsetDateTime.now(ZoneOffset.UTC), recordId, cut(outcome, 4000), id);
    }

    /** A release that failed again: the entry stays open with the new reason. */
    @Transactional
    public void releaseFailed(long id, String reason) {
        jdbc.update("UPDATE quarantine SET release_outcome = ?, reason = ? WHERE id = ?", cut(reason, 4000),
                cut(reason, 4000), id);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Raw bytes as received, with their charset. */
    public record RawPayload(byte[] bytes, Charset charset) {
        public String text() {
            return new String(bytes, charset);
        }
    }
}

package yingyan.supervision.alerts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.store.PgCopy;
import yingyan.supervision.Rule;
import yingyan.supervision.WorkingCalendar;

/**
 * The clock (route {@code supervision-clock}): what a deadline rule finds changes with time alone, so every
 * {@code hub.supervision.alerts.clock-interval} (10 minutes) and at 00:00 Beijing time after every working day
 * (when a deadline ends), the time-dependent rules run again over the open cases of their domains
 ({@code supervision_record.is_open}: status OPEN) whose outcome can have changed: each case carries
 * {@code clock_next}, the next instant a deadline rule's outcome for it changes ({@link Rule#changesAt}), kept
 * by the follower and by each pass, so a pass reads the index range {@code clock_next <= now} (a 10-minute pass
 * usually finds nothing; the 00:00 pass finds the deadlines that just ended). A pass pages through them by record
 * id, evaluates a page in parallel and writes only what changed (a page that changes nothing takes no lock). When
 * the time-dependent rules or the calendar differ from the last full pass's, the pass is a full one over every
 * open case (V19, docs/performance.md). The start of the last pass is kept in the database: after a restart a pass
 * that is due runs at once.
 */
@Component("alertClock")
class AlertClock {
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final Logger log = LoggerFactory.getLogger(AlertClock.class);

    private final JdbcTemplate jdbc;
    private final AlertRules rules;
    private final Evaluator evaluator;
    private final AlertWriter writer;
    private final Positions positions;
    private final AlertMetrics metrics;
    private final AlertProperties properties;
    private final TransactionTemplate tx;
    private final BooleanSupplier copy;
    private Clock clock = Clock.systemUTC();

    AlertClock(JdbcTemplate jdbc, AlertRules rules, Evaluator evaluator, AlertWriter writer, Positions positions,
               AlertMetrics metrics, AlertProperties properties, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.evaluator = evaluator;
        this.writer = writer;
        this.positions = positions;
        this.metrics = metrics;
        this.properties = properties;
        this.tx = new TransactionTemplate(transactions);
        this.copy = PgCopy.availableOn(jdbc);
    }

    void clock(Clock clock) {
        this.clock = clock;
    }

    /** What a pass came to. */
    record Pass(int cases, int changed) {
    }

    /** The route's tick: a pass if one is due; never throws (the next tick tries again). */
    public void tick() {
        try {
            Instant now = clock.instant();
            if (due(Instant.ofEpochMilli(positions.get(Positions.CLOCK)), now, rules.calendar())) {
                pass(now);
            }
        } catch (RuntimeException e) {
            log.warn("alert clock: {} (tried again at the next tick)", e.toString());
        }
    }

    /**
     * Due when a clock interval has passed since the last pass, or a working day ended (00:00 Beijing time after
     * it) since then.
     */
    boolean due(Instant last, Instant now, WorkingCalendar calendar) {
        if (!now.isBefore(last.plus(properties.clockInterval()))) {
            return true;
        }
        LocalDate today = now.atZone(BEIJING).toLocalDate();
        Instant midnight = today.atStartOfDay(BEIJING).toInstant();
        return last.isBefore(midnight) && calendar.isWorkingDay(today.minusDays(1));
    }

    /**
     * Runs the time-dependent rules at {@code now} over the open cases whose outcome can have changed since they
     * were last evaluated ({@code clock_next <= now}), or over every open case of their domains when the rules or
     * the calendar differ from the last full pass's (a changed deadline moves every {@code clock_next}).
     */
    Pass pass(Instant now) {
        List<Rule> timed = rules.all().stream().filter(Rule::timeDependent).toList();
        List<String> domains = timed.stream().flatMap(r -> r.domains().stream()).map(Domain::name).distinct()
                .sorted().toList();
        WorkingCalendar calendar = rules.calendar();
        long fingerprint = fingerprint(timed, calendar);
        boolean full = positions.get(Positions.CLOCK_RULES) != fingerprint;
        int cases = 0;
        int changed = 0;
        if (!domains.isEmpty()) {
            String marks = String.join(",", Collections.nCopies(domains.size(), "?"));
            String where = full ? "s.is_open = TRUE AND s.domain IN (" + marks + ")" : "s.clock_next <= ?";
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            String after = "";
            while (true) {
                List<Object> args = new ArrayList<>();
                if (full) {
                    args.addAll(domains);
                } else {
                    args.add(at);
                }
                args.add(after);
                args.add(after); // both sides from the cursor: a merge join would otherwise read record from its start
                args.add(properties.clockPage());
                List<Evaluator.Current> page = new ArrayList<>();
                Map<String, Instant> stored = new HashMap<>();
                jdbc.query("SELECT r.version_seq, r.body, s.clock_next FROM supervision_record s JOIN record r"
                        + " ON r.record_id = s.record_id WHERE " + where
                        + " AND s.record_id > ? AND r.record_id > ? ORDER BY s.record_id LIMIT ?", rs -> {
                    CanonicalRecord record = CanonicalJson.read(rs.getString(2));
                    page.add(new Evaluator.Current(record, rs.getLong(1)));
                    OffsetDateTime next = rs.getObject(3, OffsetDateTime.class);
                    stored.put(record.recordId(), next == null ? null : next.toInstant());
                }, args.toArray());
                if (page.isEmpty()) {
                    break;
                }
                cases += page.size();
                changed += writer.write(evaluator.evaluateAll(page, timed, calendar, now), now, null).total();
                nextChecks(page, stored, timed, calendar, now);
                after = page.get(page.size() - 1).record().recordId();
                if (page.size() < properties.clockPage()) {
                    break;
                }
            }
        }
        positions.set(Positions.CLOCK, now.toEpochMilli());
        if (full) {
            positions.set(Positions.CLOCK_RULES, fingerprint);
        }
        metrics.refresh(false);
        if (changed > 0 || full) {
            log.info("alert clock: {} open cases evaluated ({}), {} alerts changed", cases,
                    full ? "full pass: rules or calendar changed" : "due ones", changed);
        }
        return new Pass(cases, changed);
    }

    /**
     * Moves each evaluated case's {@code clock_next} past {@code now}, only where it changes and only while the
     * version evaluated is still the record's current one (a newer version is indexed by the follower). On
     * PostgreSQL the page's new values are COPYed into a temporary table and joined in one {@code UPDATE … FROM}
     * (a batch of one statement per case was the largest part of a 00:00 pass); on H2 one JDBC batch.
     */
    private void nextChecks(List<Evaluator.Current> page, Map<String, Instant> stored, List<Rule> timed,
                            WorkingCalendar calendar, Instant now) {
        List<Object[]> rows = new ArrayList<>();
        for (Evaluator.Current c : page) {
            Instant next = SupervisionIndex.nextCheck(c.record(), timed, calendar, now);
            if (!Objects.equals(next, stored.get(c.record().recordId()))) {
                rows.add(new Object[]{next, c.record().recordId(), c.versionSeq()});
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        if (copy.getAsBoolean()) {
            PgCopy values = PgCopy.rows();
            rows.forEach(r -> values.row(r[1], r[2], r[0]));
            tx.executeWithoutResult(s -> {
                // Kept by the connection, emptied at each commit of a transaction that used it.
                jdbc.execute("CREATE TEMPORARY TABLE IF NOT EXISTS clock_next_page (record_id TEXT NOT NULL,"
                        + " version_seq BIGINT NOT NULL, clock_next TIMESTAMPTZ) ON COMMIT DELETE ROWS");
                values.into(jdbc, "clock_next_page (record_id, version_seq, clock_next)");
                jdbc.update("UPDATE supervision_record s SET clock_next = p.clock_next FROM clock_next_page p, record r"
                        + " WHERE s.record_id = p.record_id AND r.record_id = p.record_id"
                        + " AND r.version_seq = p.version_seq");
            });
        } else {
            List<Object[]> batch = rows.stream().map(r -> new Object[]{
                    r[0] == null ? null : ((Instant) r[0]).atOffset(ZoneOffset.UTC), r[1], r[2]}).toList();
            jdbc.batchUpdate("UPDATE supervision_record SET clock_next = ? WHERE record_id = ? AND EXISTS"
                    + " (SELECT 1 FROM record r WHERE r.record_id = supervision_record.record_id"
                    + " AND r.version_seq = ?)", batch);
        }
    }

    /** The time-dependent rules (id and version) and the calendar's version, as one number (never 0). */
    static long fingerprint(List<Rule> timed, WorkingCalendar calendar) {
        StringBuilder s = new StringBuilder(String.valueOf(calendar.version()));
        timed.stream().map(r -> r.id() + ":" + r.version()).sorted().forEach(r -> s.append('\n').append(r));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            long value = ByteBuffer.wrap(digest).getLong();
            return value == 0 ? 1 : value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package yingyan.adapters.housingfund;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import yingyan.adapters.housingfund.SourceDatabase.Keyset;
import yingyan.adapters.housingfund.SourceDatabase.Row;
import yingyan.adapters.housingfund.Watermark.TableState;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.ResidentIds;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.PollingSource;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Polls GJJ_TQ and GJJ_DK by (GXSJ, key) keyset through the adapter's own small read-only pool (never a
 * Spring DataSource bean: that would displace the municipal database's). Each table is read in passes:
 * a pass starts at the table's settled time (everything earlier has been read), pages by keyset to the
 * end, and on reaching it moves the settled time to the centre's database clock at the pass start
 * ({@link SourceDatabase#now}: the clock its rows are committed by, never the hub's, which may run ahead of it)
 * minus the overlap. When {@code reconcile-at} is due, a poll also reconciles ({@link HousingFundReconciliation}).
 * Rows committed late with an older GXSJ are thus read by the next pass; re-read rows are duplicates the
 * record store drops. The cursor is saved after every chunk that is durably queued, so a poll that stops
 * (a failure, or max-rows-per-poll in the middle of a second shared by thousands of rows) resumes there.
 * Nothing connects until the first poll, so a disabled adapter or an unreachable centre costs nothing at start-up.
 */
@Component
public class HousingFundSource extends PollingSource implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(HousingFundSource.class);
    private static final DateTimeFormatter SOURCE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final int MAX_REASONS = 20;

    private final HousingFundProperties props;
    private final IngestGateway gateway;
    private final Watermarks watermarks;
    private final Clock clock;
    private final CentreClock centreClock;
    /** Null in tests that read without one. */
    private final HousingFundReconciliation reconciliation;
    private volatile HikariDataSource pool;

    /** The fund centre's database clock, read over the poll's connection. */
    interface CentreClock {
        /** The centre's local (Beijing) time, to the second. */
        LocalDateTime now(Connection c, int queryTimeoutSeconds) throws SQLException;
    }

    @Autowired
    public HousingFundSource(HousingFundProperties props, AdapterMonitor monitor, IngestGateway gateway,
                             Watermarks watermarks, HousingFundReconciliation reconciliation) {
        this(props, monitor, gateway, watermarks, Clock.systemUTC(), SourceDatabase::now, reconciliation);
    }

    /** With the hub's clock and the centre's set by a test (both the same clock: the two agree). */
    HousingFundSource(HousingFundProperties props, AdapterMonitor monitor, IngestGateway gateway,
                      Watermarks watermarks, Clock clock) {
        this(props, monitor, gateway, watermarks, clock, (c, timeout) -> beijing(clock), null);
    }

    HousingFundSource(HousingFundProperties props, AdapterMonitor monitor, IngestGateway gateway,
                      Watermarks watermarks, Clock clock, CentreClock centreClock,
                      HousingFundReconciliation reconciliation) {
        super(monitor, HousingFundMapper.ADAPTER_ID);
        this.props = props;
        this.gateway = gateway;
        this.watermarks = watermarks;
        this.clock = clock;
        this.centreClock = centreClock;
        this.reconciliation = reconciliation;
        startFrom(); // fail at start-up, not at the first poll, on a malformed start-from
    }

    @Override
    protected IngestOutcome pollOnce() {
        Watermark wm = Watermark.parse(watermarks.get(HousingFundMapper.ADAPTER_ID).orElse(null));
        Totals totals = new Totals();
        List<String> failures = new ArrayList<>();
        try (Connection c = connect()) {
            for (SourceTable t : SourceTable.values()) {
                try {
                    pollTable(c, t, wm, totals);
                } catch (SQLException e) {
                    if (connectionLost(c, e)) {
                        failures.add("lost the connection to the fund centre's database at " + where()
                                + " while reading " + t.name() + ": " + message(e));
                        break;
                    }
                    // The other table is still read: one unreadable table must not starve the other.
                    failures.add("reading " + t.name() + " from " + where() + " failed: " + message(e));
                }
            }
            if (failures.isEmpty() && reconciliation != null && reconciliation.due()) {
                // Its re-reads count as this poll's, so the adapter's queued figures stay whole.
                reconciliation.run(c, wm, queryTimeoutSeconds(), totals::add);
            }
        } catch (SQLException e) {
            failures.add("closing the connection to " + where() + " failed: " + message(e));
        } catch (RuntimeException e) {
            state().progressed(totals.queued, totals.quarantined);
            throw e;
        }
        if (!failures.isEmpty()) {
            state().progressed(totals.queued, totals.quarantined);
            throw new SourceFailure(ResidentIds.maskAll(String.join("; ", failures)));
        }
        return new IngestOutcome(totals.queued, totals.quarantined, List.of(), totals.reasons);
    }

    /** Reads one table from its saved position, chunk by chunk, until the end or max-rows-per-poll. */
    private void pollTable(Connection c, SourceTable t, Watermark wm, Totals totals) throws SQLException {
        TableState s = wm.get(t);
        if (!s.inPass()) {
            String settled = s.settled() != null ? s.settled() : startFrom();
            // From (settled, ''): every row with GXSJ >= settled, whatever its key.
            s = new TableState(settled, format(centreClock.now(c, queryTimeoutSeconds())),
                    settled == null ? null : new Keyset(settled, ""), s.last());
        }
        int read = 0;
        while (read < props.maxRowsPerPoll()) {
            List<Row> rows = SourceDatabase.chunk(c, t, s.cursor(), props.chunkSize(), queryTimeoutSeconds());
            if (!rows.isEmpty()) {
                OffsetDateTime fetchedAt = OffsetDateTime.now(clock).withOffsetSameInstant(CanonicalTime.BEIJING);
                List<SourceItem> items = rows.stream().map(r -> SourceDatabase.item(r, fetchedAt)).toList();
                IngestOutcome o = gateway.submit(items); // throws unless durably queued: the cursor stays
                totals.add(o);
                totals.read += rows.size();
                Keyset end = rows.get(rows.size() - 1).position();
                if (end.gxsj() == null || end.key() == null) {
                    throw new SQLException(t.name() + " returned a row without GXSJ or key: cannot page past it");
                }
                s = new TableState(s.settled(), s.passStartedAt(), end, end);
                read += rows.size();
                progressed(totals.read, totals.queued, totals.quarantined, t.name() + " after GXSJ " + end.gxsj()
                        + ", key " + end.key());
            }
            if (rows.size() < props.chunkSize()) {
                s = endOfPass(s);
                wm.put(t, s);
                watermarks.put(HousingFundMapper.ADAPTER_ID, wm.format());
                return;
            }
            wm.put(t, s);
            watermarks.put(HousingFundMapper.ADAPTER_ID, wm.format());
        }
        log.info("{}: {} rows read this poll, the pass resumes after {} next poll", t.name(), read, s.cursor());
    }

    /**
     * Every row with GXSJ before (pass start − overlap) was committed before the pass began (both by the
     * centre's clock; the overlap covers its commit delay and the skew of its application's clock), so the pass
     * has read it: that is the new settled time (never moved back). The next pass starts there.
     */
    private TableState endOfPass(TableState s) {
        LocalDateTime candidate = LocalDateTime.parse(s.passStartedAt(), SOURCE_TIME).minus(props.overlap());
        String settled = s.settled();
        if (settled == null || candidate.isAfter(parseTime(settled))) {
            settled = format(candidate);
        }
        return new TableState(settled, null, null, s.last());
    }

    /**
     * Backfill: each table's settled time goes back to {@code since} (never forward) and a pass under way
     * starts again from there, so the next passes read every row with GXSJ at or after it by keyset, then
     * settle at the present as usual. A table never settled yet stays as it is: its first pass covers since.
     */
    @Override
    protected OffsetDateTime rewindTo(OffsetDateTime since) {
        String to = format(since.atZoneSameInstant(CanonicalTime.BEIJING).toLocalDateTime().withNano(0));
        Watermark wm;
        try {
            wm = Watermark.parse(watermarks.get(HousingFundMapper.ADAPTER_ID).orElse(null));
        } catch (IllegalStateException unreadable) {
            wm = Watermark.parse(null); // replaced: the backfill says where to read from
        }
        String from = to;
        boolean fromTheBeginning = false;
        for (SourceTable t : SourceTable.values()) {
            TableState s = wm.get(t);
            String settled = s.settled();
            if (settled == null) {
                // Never settled: its first pass (from start-from, or the beginning) is still to come or under
                // way, and covers since. Moving it to since would skip what that pass has not reached yet.
                settled = s.inPass() ? null : startFrom();
            } else {
                // A pass under way restarts at its own start at the latest: rows it read are re-read, and
                // rows committed late before its start are still found.
                settled = to.compareTo(settled) < 0 ? to : settled;
                wm.put(t, new TableState(settled, null, null, s.last()));
            }
            fromTheBeginning |= settled == null;
            if (settled != null && settled.compareTo(from) < 0) {
                from = settled;
            }
        }
        watermarks.put(HousingFundMapper.ADAPTER_ID, wm.format());
        log.info("housing-fund: positions moved back to {} for a backfill: {}", to, wm);
        return fromTheBeginning ? null : CanonicalTime.parseSource(from);
    }

    /** Caught up once neither table is in the middle of a pass (max-rows-per-poll may stop a poll early). */
    @Override
    protected boolean caughtUp() {
        Watermark wm = Watermark.parse(watermarks.get(HousingFundMapper.ADAPTER_ID).orElse(null));
        for (SourceTable t : SourceTable.values()) {
            if (wm.get(t).inPass()) {
                return false;
            }
        }
        return true;
    }

    /** The earliest of the tables' positions: the cursor of a pass in progress, else the settled time. */
    @Override
    protected OffsetDateTime readPosition() {
        try {
            Watermark wm = Watermark.parse(watermarks.get(HousingFundMapper.ADAPTER_ID).orElse(null));
            String at = null;
            for (SourceTable t : SourceTable.values()) {
                TableState s = wm.get(t);
                String p = s.inPass() && s.cursor() != null ? s.cursor().gxsj() : s.settled();
                if (p != null && (at == null || p.compareTo(at) < 0)) {
                    at = p;
                }
            }
            return at == null ? null : CanonicalTime.parseSource(at);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private Connection connect() {
        try {
            return pool().getConnection();
        } catch (SQLException e) {
            throw new SourceFailure(ResidentIds.maskAll("cannot connect to the fund centre's database at "
                    + where() + ": " + message(e)), e);
        }
    }

    /** The adapter's own pool, created at the first poll so an unreachable database never stops start-up. */
    private HikariDataSource pool() {
        HikariDataSource p = pool;
        if (p == null) {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName(HousingFundMapper.ADAPTER_ID);
            hc.setJdbcUrl(props.jdbcUrl());
            hc.setUsername(props.username());
            hc.setPassword(props.password());
            hc.setReadOnly(true);
            hc.setAutoCommit(true); // each keyset query sees everything committed before it
            hc.setMaximumPoolSize(props.poolSize());
            hc.setMinimumIdle(0);
            hc.setConnectionTimeout(Math.max(250, props.connectTimeout().toMillis()));
            hc.setInitializationFailTimeout(-1);
            if (props.jdbcUrl().startsWith("jdbc:mariadb:") || props.jdbcUrl().startsWith("jdbc:mysql:")) {
                // A dead network must not hang a poll forever: bound connect and socket reads.
                hc.addDataSourceProperty("connectTimeout", String.valueOf(props.connectTimeout().toMillis()));
                hc.addDataSourceProperty("socketTimeout",
                        String.valueOf(props.queryTimeout().plusSeconds(30).toMillis()));
            }
            p = new HikariDataSource(hc);
            pool = p;
            log.info("housing-fund reads {} as {} (read-only pool of {})", where(), props.username(),
                    props.poolSize());
        }
        return p;
    }

    @Override
    public void destroy() {
        HikariDataSource p = pool;
        pool = null;
        if (p != null) {
            p.close();
        }
    }

    private String startFrom() {
        String s = props.startFrom();
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return format(parseTime(s.trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("hub.adapters.housing-fund.start-from must be yyyy-MM-dd HH:mm:ss, not '"
                    + s + "'");
        }
    }

    private static LocalDateTime beijing(Clock clock) {
        return OffsetDateTime.now(clock).atZoneSameInstant(CanonicalTime.BEIJING).toLocalDateTime().withNano(0);
    }

    private static LocalDateTime parseTime(String s) {
        return CanonicalTime.parseSource(s).toLocalDateTime();
    }

    private static String format(LocalDateTime t) {
        return t.format(SOURCE_TIME);
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, props.queryTimeout().toSeconds());
    }

    private String where() {
        return SourceDatabase.describe(props.jdbcUrl());
    }

    private static boolean connectionLost(Connection c, SQLException e) {
        if (e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException || e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return true;
        }
        try {
            return !c.isValid(2);
        } catch (SQLException notValid) {
            return true;
        }
    }

    /**
     * The driver's own words (host, refusal, access denied) along the cause chain, each said once. The
     * pool's "Connection is not available, request timed out" wrapper is skipped when it has a cause.
     */
    private static String message(Throwable e) {
        Throwable start = e instanceof SQLTransientConnectionException && e.getCause() != null ? e.getCause() : e;
        StringBuilder out = new StringBuilder();
        for (Throwable t = start; t != null && t.getCause() != t; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && out.indexOf(m) < 0) {
                out.append(out.length() == 0 ? "" : ": ").append(m);
            }
        }
        return out.length() == 0 ? e.getClass().getSimpleName() : out.toString();
    }

    /** What a poll has brought so far. */
    private static final class Totals {
        long read;
        int queued;
        int quarantined;
        final List<String> reasons = new ArrayList<>();

        void add(IngestOutcome o) {
            queued += o.queued();
            quarantined += o.quarantined();
            for (String r : o.reasons()) {
                if (reasons.size() < MAX_REASONS) {
                    reasons.add(r);
                }
            }
        }
    }
}

package yingyan.supervision.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.supervision.Rule;
import yingyan.supervision.WorkingCalendar;

/**
 * Evaluation after apply (route {@code supervision-follow}). Follows {@code record.version_seq} from a persisted
 * position: every record whose current version was applied after it is evaluated, and the position moves in the
 * same transaction as the alerts that evaluation changed. So a version whose rules had not run when the hub
 * stopped (however it stopped) is evaluated after the restart, and one whose rules ran is not run twice (were
 * it run twice, nothing would change: the writer is idempotent). Never inside the version writers' lock: it
 * only reads {@code record}, whose seqs become visible in commit order (feed_lock, V4), so following them skips
 * nothing. A late older version is never applied and never gets a seq, so it is never evaluated; only a
 * record's current version is.
 *
 * <p>Each tick also looks for rules whose version changed and advances their re-evaluation jobs
 * ({@link RuleJobs}) by a few pages, and refreshes the open-alerts gauge.
 */
@Component("alertFollower")
class AlertFollower {
    private static final Logger log = LoggerFactory.getLogger(AlertFollower.class);

    private final JdbcTemplate jdbc;
    private final AlertRules rules;
    private final Evaluator evaluator;
    private final AlertWriter writer;
    private final SupervisionIndex index;
    private final Positions positions;
    private final RuleJobs jobs;
    private final AlertMetrics metrics;
    private final AlertProperties properties;
    private final TransactionTemplate tx;
    private Clock clock = Clock.systemUTC();

    AlertFollower(JdbcTemplate jdbc, AlertRules rules, Evaluator evaluator, AlertWriter writer, SupervisionIndex index,
                  Positions positions, RuleJobs jobs, AlertMetrics metrics, AlertProperties properties,
                  PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.rules = rules;
        this.evaluator = evaluator;
        this.writer = writer;
        this.index = index;
        this.positions = positions;
        this.jobs = jobs;
        this.metrics = metrics;
        this.properties = properties;
    }

    /** Tests set the time rules are evaluated at. */
    void clock(Clock clock) {
        this.clock = clock;
    }

    /** The route's tick: never throws (the next tick is the retry; the position has not moved). */
    public void tick() {
        try {
            List<Rule> all = rules.all();
            jobs.startChanged(all);
            followAll(all);
            jobs.advance(all, properties.jobPagesPerTick());
            metrics.refresh(false);
        } catch (RuntimeException e) {
            log.warn("alert follower: {} (retried at the next tick)", e.toString());
        }
    }

    /** Reads the open-alerts gauge again if anything changed (each tick does). */
    void tickMetrics() {
        metrics.refresh(false);
    }

    /** Evaluates pages until none is left; returns the records evaluated. */
    int followAll(List<Rule> all) {
        int total = 0;
        int n;
        do {
            n = followOnce(all);
            total += n;
        } while (n == properties.followPage());
        return total;
    }

    /**
     * One page, set-based: the records applied after the position read with one query (their JSON parsed in
     * parallel), every rule evaluated in memory with the sets the set rules need loaded for the whole page
     * ({@link Evaluator#evaluatePage}), then one transaction: the page's index rows, its alert changes (the
     * writer's batches) and the position.
     */
    int followOnce(List<Rule> all) {
        long from = positions.get(Positions.FOLLOW);
        List<Long> seqs = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        jdbc.query("SELECT version_seq, body FROM record WHERE version_seq > ? ORDER BY version_seq LIMIT ?",
                rs -> {
                    seqs.add(rs.getLong(1));
                    bodies.add(rs.getString(2));
                }, from, properties.followPage());
        if (seqs.isEmpty()) {
            return 0;
        }
        List<Evaluator.Current> page = IntStream.range(0, seqs.size()).parallel()
                .mapToObj(i -> new Evaluator.Current(CanonicalJson.read(bodies.get(i)), seqs.get(i))).toList();
        long to = seqs.get(seqs.size() - 1);
        List<CanonicalRecord> records = page.stream().map(Evaluator.Current::record).toList();
        WorkingCalendar calendar = rules.calendar();
        Instant now = clock.instant();
        List<Object[]> indexRows = SupervisionIndex.rows(records, all.stream().filter(Rule::timeDependent).toList(),
                calendar, now);
        List<Decided> decided = evaluator.evaluatePage(page, all, calendar, now);
        tx.executeWithoutResult(s -> {
            index.write(indexRows);
            writer.write(decided, now, () -> positions.set(Positions.FOLLOW, to));
        });
        return page.size();
    }
}

package yingyan.supervision.alerts;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.Domain;
import yingyan.supervision.Rule;

/**
 * Re-evaluation after a rule changed (supervision.md §4). {@code alert_rule_version} holds the version of each
 * rule the stored alerts were computed with; a rule the hub runs with another version (or has never run) gets a
 * job ({@code alert_job}) that evaluates every current record of the rule's domains in record-id order, a page at
 * a time, its position and progress saved with each page's alerts in one transaction: after a crash it goes on
 * from the last page saved (a page done twice changes nothing). Alerts of the old version are carried over
 * (the same alertId, the new version, an UPDATED event) where the new version still finds them, and cleared at
 * the end where it does not. Then the rule's version is recorded and the job is DONE.
 */
@Component
class RuleJobs {
    private static final Logger log = LoggerFactory.getLogger(RuleJobs.class);

    /** A job as the API shows it. */
    record Job(long id, String rule, Integer fromVersion, int toVersion, String state, long done, long total,
               OffsetDateTime startedAt, OffsetDateTime changedAt, OffsetDateTime finishedAt) {
        public double progress() {
            return total == 0 ? (state.equals("DONE") ? 1.0 : 0.0) : Math.min(1.0, (double) done / total);
        }
    }

    private static final RowMapper<Job> JOB = (rs, i) -> new Job(rs.getLong("id"), rs.getString("rule"),
            (Integer) rs.getObject("from_version"), rs.getInt("to_version"), rs.getString("state"), rs.getLong("done"),
            rs.getLong("total"), rs.getObject("started_at", OffsetDateTime.class),
            rs.getObject("changed_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Evaluator evaluator;
    private final AlertWriter writer;
    private final AlertRules rules;
    private final AlertProperties properties;
    /** Rule versions known to be recorded or under way, so a tick asks the database only when a rule changed. */
    private final Map<String, Integer> checked = Collections.synchronizedMap(new HashMap<>());
    private Clock clock = Clock.systemUTC();

    RuleJobs(JdbcTemplate jdbc, PlatformTransactionManager transactions, Evaluator evaluator, AlertWriter writer,
             AlertRules rules, AlertProperties properties) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.evaluator = evaluator;
        this.writer = writer;
        this.rules = rules;
        this.properties = properties;
    }

    void clock(Clock clock) {
        this.clock = clock;
    }

    /** Starts a job for every rule whose version differs from the one recorded and has none running for it. */
    void startChanged(List<Rule> all) {
        for (Rule rule : all) {
            if (Integer.valueOf(rule.version()).equals(checked.get(rule.id()))) {
                continue;
            }
            tx.executeWithoutResult(s -> {
                List<Integer> recorded = jdbc.queryForList("SELECT version FROM alert_rule_version WHERE rule = ?",
                        Integer.class, rule.id());
                Integer from = recorded.isEmpty() ? null : recorded.get(0);
                if (from != null && from == rule.version()) {
                    return;
                }
                List<Job> running = jdbc.query("SELECT * FROM alert_job WHERE rule = ? AND state = 'RUNNING'", JOB,
                        rule.id());
                if (running.stream().anyMatch(j -> j.toVersion() == rule.version())) {
                    return;
                }
                OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
                // A job for a version the hub no longer runs is abandoned; the new one covers every record again.
                jdbc.update("UPDATE alert_job SET state = 'ABANDONED', changed_at = ?, finished_at = ?"
                        + " WHERE rule = ? AND state = 'RUNNING'", now, now, rule.id());
                long total = count(rule);
                jdbc.update("INSERT INTO alert_job (rule, from_version, to_version, state, position, done, total,"
                        + " started_at, changed_at) VALUES (?,?,?,'RUNNING','',0,?,?,?)", rule.id(), from,
                        rule.version(), total, now, now);
                log.info("rule {} is at version {} (alerts were computed with {}): re-evaluating {} records",
                        rule.id(), rule.version(), from == null ? "none" : from, total);
            });
            checked.put(rule.id(), rule.version());
        }
    }

    /**
     * Starts a job over every record of each time-dependent rule even though its version did not change (a
     * calendar file changed: every deadline it touches is computed again, decided cases included). A running
     * job of the same rule and version starts over from the first record.
     */
    void reevaluateTimeDependent(List<Rule> all, String reason) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        for (Rule rule : all.stream().filter(Rule::timeDependent).toList()) {
            tx.executeWithoutResult(s -> {
                jdbc.update("UPDATE alert_job SET state = 'ABANDONED', changed_at = ?, finished_at = ?"
                        + " WHERE rule = ? AND state = 'RUNNING'", now, now, rule.id());
                jdbc.update("INSERT INTO alert_job (rule, from_version, to_version, state, position, done, total,"
                        + " started_at, changed_at) VALUES (?,?,?,'RUNNING','',0,?,?,?)", rule.id(), rule.version(),
                        rule.version(), count(rule), now, now);
            });
            log.info("rule {}: re-evaluating every record ({})", rule.id(), reason);
        }
    }

    /** Advances the running jobs of rules the hub runs by up to {@code pages} pages in all. */
    void advance(List<Rule> all, int pages) {
        int left = pages;
        for (Job job : jdbc.query("SELECT * FROM alert_job WHERE state = 'RUNNING' ORDER BY id", JOB)) {
            Optional<Rule> rule = all.stream().filter(r -> r.id().equals(job.rule())
                    && r.version() == job.toVersion()).findFirst();
            if (rule.isEmpty()) {
                continue; // its rule is gone or changed again: startChanged abandons it
            }
            while (left > 0) {
                left--;
                if (!page(job.id(), rule.get())) {
                    break;
                }
            }
        }
    }

    /** One page of a job; false when the job is finished. */
    boolean page(long jobId, Rule rule) {
        Job job = jdbc.queryForObject("SELECT * FROM alert_job WHERE id = ?", JOB, jobId);
        if (!job.state().equals("RUNNING")) {
            return false;
        }
        String position = jdbc.queryForObject("SELECT position FROM alert_job WHERE id = ?", String.class, jobId);
        List<String> domains = rule.domains().stream().map(Domain::name).sorted().toList();
        List<Evaluator.Current> page = new ArrayList<>();
        if (!domains.isEmpty()) {
            List<Object> args = new ArrayList<>(domains);
            args.add(position);
            args.add(properties.jobPage());
            jdbc.query("SELECT version_seq, body FROM record WHERE domain IN ("
                    + String.join(",", Collections.nCopies(domains.size(), "?")) + ") AND record_id > ?"
                    + " ORDER BY record_id LIMIT ?", rs -> {
                page.add(new Evaluator.Current(CanonicalJson.read(rs.getString(2)), rs.getLong(1)));
            }, args.toArray());
        }
        Instant now = clock.instant();
        if (page.isEmpty()) {
            tx.executeWithoutResult(s -> {
                int cleared = writer.clearOtherVersions(rule.id(), rule.version(), now);
                OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
                if (jdbc.update("UPDATE alert_rule_version SET version = ?, since = ? WHERE rule = ?", rule.version(),
                        at, rule.id()) == 0) {
                    jdbc.update("INSERT INTO alert_rule_version (rule, version, since) VALUES (?,?,?)", rule.id(),
                            rule.version(), at);
                }
                jdbc.update("UPDATE alert_job SET state = 'DONE', changed_at = ?, finished_at = ? WHERE id = ?", at, at,
                        jobId);
                log.info("rule {} version {}: re-evaluation done, {} records, {} alerts of other versions cleared",
                        rule.id(), rule.version(), job.done(), cleared);
            });
            return false;
        }
        String last = page.get(page.size() - 1).record().recordId();
        List<Decided> decided = evaluator.evaluateAll(page, List.of(rule), rules.calendar(), now);
        writer.write(decided, now, () -> jdbc.update("UPDATE alert_job SET position = ?, done = done + ?,"
                + " changed_at = ? WHERE id = ?", last, page.size(), now.atOffset(ZoneOffset.UTC), jobId));
        return true;
    }

    List<Job> list() {
        return jdbc.query("SELECT * FROM alert_job ORDER BY id DESC LIMIT 100", JOB);
    }

    private long count(Rule rule) {
        List<String> domains = rule.domains().stream().map(Domain::name).toList();
        if (domains.isEmpty()) {
            return 0;
        }
        return jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE domain IN ("
                + String.join(",", Collections.nCopies(domains.size(), "?")) + ")", Long.class, domains.toArray());
    }
}

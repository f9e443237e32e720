package yingyan.supervision.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalRecord;
import yingyan.supervision.Outcome;
import yingyan.supervision.Rule;
import yingyan.supervision.WorkingCalendar;

/**
 * Runs rules over the current version of a record. A rule that throws on a record is logged (rule and record
 * id, never the record's content) and counted ({@code yingyan_alerts_rule_failures_total}); the record's other
 * rules and the other records go on, and the rule's alerts for that record stay as they were.
 */
@Component
class Evaluator {
    private static final Logger log = LoggerFactory.getLogger(Evaluator.class);

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;

    Evaluator(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** A record's current version as read, with its {@code version_seq}. */
    record Current(CanonicalRecord record, long versionSeq) {
    }

    List<Decided> evaluate(Current current, List<Rule> rules, WorkingCalendar calendar, Instant now) {
        List<Decided> out = new ArrayList<>();
        CanonicalRecord record = current.record();
        for (Rule rule : rules) {
            if (!rule.domains().contains(record.domain())) {
                continue;
            }
            Map<String, CanonicalRecord> seen = new HashMap<>();
            seen.put(record.recordId(), record);
            List<Decided> decided = new ArrayList<>();
            try {
                for (Outcome o : rule.evaluate(record, now, new StoredRuleContext(jdbc, calendar, seen))) {
                    o.finding().ifPresent(f -> check(rule, o, f));
                    decided.add(new Decided(rule, record.recordId(), current.versionSeq(), o, seen));
                }
            } catch (RuntimeException e) {
                meters.counter("yingyan.alerts.rule.failures", "rule", rule.id()).increment();
                log.warn("rule {} failed on record {}: {}", rule.id(), record.recordId(), e.toString());
                continue;
            }
            out.addAll(decided);
        }
        return out;
    }

    private static void check(Rule rule, Outcome o, yingyan.supervision.Finding f) {
        if (!f.rule().equals(rule.id()) || !f.key().equals(o.key()) || f.inputs().isEmpty()) {
            throw new IllegalStateException("rule " + rule.id() + " gave a finding for rule " + f.rule() + ", key "
                    + f.key() + " (outcome key " + o.key() + ") with " + f.inputs().size() + " inputs");
        }
    }

    /** Evaluates many records, in parallel (evaluation is pure and reads only), results in the records' order. */
    List<Decided> evaluateAll(List<Current> records, List<Rule> rules, WorkingCalendar calendar, Instant now) {
        return records.parallelStream().map(c -> evaluate(c, rules, calendar, now)).flatMap(List::stream).toList();
    }
}

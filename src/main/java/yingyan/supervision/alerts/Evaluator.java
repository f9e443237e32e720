package yingyan.supervision.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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

    /**
     * Evaluates a follower page set-based: every rule over every record in memory, in parallel; the sets that set
     * rules ask for are loaded for the whole page at once ({@link PageSets}), and only the (record, rule) pairs
     * that asked for a set not yet loaded are evaluated again once it is. The outcomes are those of
     * {@link #evaluateAll} after the page was indexed, in the same order (record by record, rule by rule).
     */
    List<Decided> evaluatePage(List<Current> page, List<Rule> rules, WorkingCalendar calendar, Instant now) {
        PageSets sets = new PageSets(page.stream().map(Current::record).toList());
        int n = rules.size();
        @SuppressWarnings("unchecked")
        List<Decided>[] results = new List[page.size() * n];
        PageSets.Misses[] misses = new PageSets.Misses[page.size() * n];
        IntStream.range(0, page.size()).parallel().forEach(i -> {
            for (int j = 0; j < n; j++) {
                PageSets.Misses m = new PageSets.Misses();
                results[i * n + j] = evaluate(page.get(i), rules.get(j), sets, calendar, now, m);
                misses[i * n + j] = m.any() ? m : null;
            }
        });
        // Each round loads every set missed so far; a pair that then asks for another key goes round again. Every
        // key asked is loaded once, so the rounds end.
        List<Integer> pending = IntStream.range(0, misses.length).filter(k -> misses[k] != null)
                .boxed().toList();
        while (!pending.isEmpty()) {
            PageSets.Misses all = new PageSets.Misses();
            pending.forEach(k -> all.addAll(misses[k]));
            sets.load(jdbc, all);
            pending.parallelStream().forEach(k -> {
                PageSets.Misses again = new PageSets.Misses();
                results[k] = evaluate(page.get(k / n), rules.get(k % n), sets, calendar, now, again);
                misses[k] = again.any() ? again : null;
            });
            pending = pending.stream().filter(k -> misses[k] != null).toList();
        }
        List<Decided> out = new ArrayList<>();
        for (List<Decided> r : results) {
            out.addAll(r);
        }
        return out;
    }

    /** One rule over one record with the page's sets; what it decided (nothing when it failed or missed a set). */
    private List<Decided> evaluate(Current current, Rule rule, PageSets sets, WorkingCalendar calendar, Instant now,
                                   PageSets.Misses misses) {
        CanonicalRecord record = current.record();
        if (!rule.domains().contains(record.domain())) {
            return List.of();
        }
        Map<String, CanonicalRecord> seen = new HashMap<>();
        seen.put(record.recordId(), record);
        List<Decided> decided = new ArrayList<>();
        try {
            List<Outcome> outcomes = rule.evaluate(record, now, sets.context(calendar, seen, misses));
            if (misses.any()) {
                return List.of(); // evaluated again once its sets are loaded
            }
            for (Outcome o : outcomes) {
                o.finding().ifPresent(f -> check(rule, o, f));
                decided.add(new Decided(rule, record.recordId(), current.versionSeq(), o, seen));
            }
        } catch (RuntimeException e) {
            if (misses.any()) {
                return List.of(); // it may have failed on the empty set: it runs again with the real one
            }
            meters.counter("yingyan.alerts.rule.failures", "rule", rule.id()).increment();
            log.warn("rule {} failed on record {}: {}", rule.id(), record.recordId(), e.toString());
            return List.of();
        }
        return decided;
    }

    /** Evaluates many records, in parallel (evaluation is pure and reads only), results in the records' order. */
    List<Decided> evaluateAll(List<Current> records, List<Rule> rules, WorkingCalendar calendar, Instant now) {
        return records.parallelStream().map(c -> evaluate(c, rules, calendar, now)).flatMap(List::stream).toList();
    }
}

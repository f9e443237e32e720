package yingyan.supervision.alerts;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.Domain;
import yingyan.supervision.Rule;
import yingyan.supervision.WorkingCalendar;

/**
 * The clock (route {@code supervision-clock}): what a deadline rule finds changes with time alone, so every
 * {@code hub.supervision.alerts.clock-interval} (10 minutes) and at 00:00 Beijing time after every working day
 * (when a deadline ends), the time-dependent rules run again over the open cases of their domains
 * ({@code supervision_record.is_open}: status OPEN). A pass pages through them by record id, evaluates a page in
 * parallel and writes only what changed (a page that changes nothing takes no lock), so a pass over 1,000,000
 * open cases is a thousand reads of 1,000 rows. The start of the last pass is kept in the database: after a
 * restart a pass that is due runs at once.
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
    private Clock clock = Clock.systemUTC();

    AlertClock(JdbcTemplate jdbc, AlertRules rules, Evaluator evaluator, AlertWriter writer, Positions positions,
               AlertMetrics metrics, AlertProperties properties) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.evaluator = evaluator;
        this.writer = writer;
        this.positions = positions;
        this.metrics = metrics;
        this.properties = properties;
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

    /** Runs the time-dependent rules over every open case of their domains, at {@code now}. */
    Pass pass(Instant now) {
        List<Rule> timed = rules.all().stream().filter(Rule::timeDependent).toList();
        List<String> domains = timed.stream().flatMap(r -> r.domains().stream()).map(Domain::name).distinct()
                .sorted().toList();
        int cases = 0;
        int changed = 0;
        if (!domains.isEmpty()) {
            WorkingCalendar calendar = rules.calendar();
            String marks = String.join(",", Collections.nCopies(domains.size(), "?"));
            String after = "";
            while (true) {
                List<Object> args = new ArrayList<>(domains);
                args.add(after);
                args.add(properties.clockPage());
                List<Evaluator.Current> page = new ArrayList<>();
                jdbc.query("SELECT r.version_seq, r.body FROM supervision_record s JOIN record r"
                        + " ON r.record_id = s.record_id WHERE s.is_open = TRUE AND s.domain IN (" + marks + ")"
                        + " AND s.record_id > ? ORDER BY s.record_id LIMIT ?", rs -> {
                    page.add(new Evaluator.Current(CanonicalJson.read(rs.getString(2)), rs.getLong(1)));
                }, args.toArray());
                if (page.isEmpty()) {
                    break;
                }
                cases += page.size();
                changed += writer.write(evaluator.evaluateAll(page, timed, calendar, now), now, null).total();
                after = page.get(page.size() - 1).record().recordId();
                if (page.size() < properties.clockPage()) {
                    break;
                }
            }
        }
        positions.set(Positions.CLOCK, now.toEpochMilli());
        metrics.refresh(false);
        if (changed > 0) {
            log.info("alert clock: {} open cases evaluated, {} alerts changed", cases, changed);
        }
        return new Pass(cases, changed);
    }
}

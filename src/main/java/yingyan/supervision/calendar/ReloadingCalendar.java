package yingyan.supervision.calendar;

import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import yingyan.supervision.WorkingCalendar;
import yingyan.supervision.conf.ConfDirectory;
import yingyan.supervision.conf.ConfFileException;

/**
 * The hub's working-day calendar: the files as last read well. Read at start (a bad file refuses the start);
 * {@link #reload} reads them again, swaps in a changed calendar and publishes {@link CalendarChangedEvent}, or
 * logs what is wrong with a bad file (file, line, key) and keeps the last good calendar. One evaluation that
 * must see one version throughout pins {@link #current()}.
 */
public final class ReloadingCalendar implements WorkingCalendar {
    private static final Logger log = LoggerFactory.getLogger(ReloadingCalendar.class);

    private final ConfDirectory dir;
    private final ApplicationEventPublisher events;
    private final AtomicReference<FileCalendar> current;
    private volatile String lastProblem;

    public ReloadingCalendar(ConfDirectory dir, ApplicationEventPublisher events) {
        this.dir = dir;
        this.events = events;
        FileCalendar first = FileCalendar.load(dir);
        this.current = new AtomicReference<>(first);
        log.info("Working-day calendar: years {} from {}, version {}", first.years(), dir.location(""),
                first.version());
    }

    /** The calendar as it is now, unchanged by later reloads. */
    public FileCalendar current() {
        return current.get();
    }

    /** Why the last reload was refused, while the files are still bad; null when they read well. */
    public String lastProblem() {
        return lastProblem;
    }

    /** Reads the files again; true when the calendar changed. */
    public boolean reload() {
        FileCalendar next;
        try {
            next = FileCalendar.load(dir);
        } catch (ConfFileException e) {
            if (!e.getMessage().equals(lastProblem)) {
                log.error("Calendar not reloaded, the last good one (version {}) stays: {}", current().version(),
                        e.getMessage());
            }
            lastProblem = e.getMessage();
            return false;
        }
        lastProblem = null;
        FileCalendar old = current.get();
        if (Objects.equals(old.version(), next.version())) {
            return false;
        }
        current.set(next);
        log.info("Working-day calendar reloaded: years {}, version {} (was {})", next.years(), next.version(),
                old.version());
        events.publishEvent(new CalendarChangedEvent(old.version(), next.version()));
        return true;
    }

    @Override
    public boolean isWorkingDay(LocalDate day) {
        return current().isWorkingDay(day);
    }

    @Override
    public boolean missing(int year) {
        return current().missing(year);
    }

    @Override
    public String version() {
        return current().version();
    }
}

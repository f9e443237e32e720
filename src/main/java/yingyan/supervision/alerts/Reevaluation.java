package yingyan.supervision.alerts;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import yingyan.supervision.calendar.CalendarChangedEvent;

/**
 * What another part of the hub may ask of the alert engine: re-evaluate every deadline (the calendar's hot
 * reload calls {@link #calendarChanged} on its {@code CalendarChangedEvent}). The work is done by the
 * follower's route as a visible, resumable job ({@code GET /api/v1/alerts/jobs}).
 */
@Component
public class Reevaluation {
    private final RuleJobs jobs;
    private final AlertRules rules;

    Reevaluation(RuleJobs jobs, AlertRules rules) {
        this.jobs = jobs;
        this.rules = rules;
    }

    @EventListener
    void on(CalendarChangedEvent changed) {
        calendarChanged(changed.oldVersion(), changed.newVersion());
    }

    /** The calendar files changed from {@code oldVersion} to {@code newVersion}. */
    public void calendarChanged(String oldVersion, String newVersion) {
        jobs.reevaluateTimeDependent(rules.all(), "calendar " + oldVersion + " -> " + newVersion);
    }
}

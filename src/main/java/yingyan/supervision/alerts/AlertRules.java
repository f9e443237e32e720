package yingyan.supervision.alerts;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import yingyan.supervision.Rule;
import yingyan.supervision.WorkingCalendar;
import yingyan.supervision.rules.RuleBook;

/**
 * The rules and the calendar the engine runs with: the rule book's enabled rules and every {@link Rule} bean, and the
 * {@link WorkingCalendar} bean. Without a calendar bean (a hub built without the calendar), weekends only,
 * every year missing, so every alert says {@code calendarMissing}; without rules, nothing is raised.
 */
@Component
class AlertRules {
    private final ObjectProvider<RuleBook> book;
    private final ObjectProvider<Rule> rules;
    private final ObjectProvider<WorkingCalendar> calendar;

    AlertRules(ObjectProvider<RuleBook> book, ObjectProvider<Rule> rules, ObjectProvider<WorkingCalendar> calendar) {
        this.book = book;
        this.rules = rules;
        this.calendar = calendar;
    }

    /** The rule book's enabled rules as of now (it reloads), then any rule declared as a bean. */
    List<Rule> all() {
        List<Rule> all = new ArrayList<>();
        book.ifAvailable(b -> all.addAll(b.rules()));
        rules.orderedStream().forEach(all::add);
        Set<String> ids = new HashSet<>();
        for (Rule r : all) {
            if (!ids.add(r.id())) {
                throw new IllegalStateException("two rules have the id " + r.id());
            }
        }
        return all;
    }

    WorkingCalendar calendar() {
        return calendar.getIfAvailable(() -> WEEKENDS_ONLY);
    }

    private static final WorkingCalendar WEEKENDS_ONLY = new WorkingCalendar() {
        @Override
        public boolean isWorkingDay(LocalDate day) {
            return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
        }

        @Override
        public boolean missing(int year) {
            return true;
        }

        @Override
        public String version() {
            return "none";
        }
    };
}

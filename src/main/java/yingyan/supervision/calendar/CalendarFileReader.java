package yingyan.supervision.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HashMap;
import java.util.Map;
import yingyan.supervision.conf.ConfFileException;
import yingyan.supervision.conf.YamlNode;

/**
 * Reads one {@code {year}.yaml}: {@code holidays: [dates]} and {@code workdays: [dates]}, dates as
 * {@code yyyy-MM-dd}. Refuses, naming file, line and key: a file that is not YAML, another key (a misspelt
 * {@code holiday:} would silently lose every day off), a value that is not a real date, a date of another year, a
 * date that is both a holiday and a workday, and a "workday" on Monday–Friday (调休 makes a Saturday or Sunday a
 * working day; a weekday there is a slip of the pen).
 */
final class CalendarFileReader {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    private CalendarFileReader() {
    }

    static CalendarYear read(String file, int year, String text) {
        YamlNode root = YamlNode.parse(file, text);
        if (root == null) {
            throw new ConfFileException(file, 1, null, "empty: a calendar names the year's holidays and workdays");
        }
        Map<String, YamlNode> entries = root.entries();
        for (YamlNode v : entries.values()) {
            if (!v.key().equals("holidays") && !v.key().equals("workdays")) {
                throw v.error("unknown key (a calendar has holidays and workdays only)");
            }
        }
        if (!entries.containsKey("holidays")) {
            throw new ConfFileException(file, root.line(), "holidays", "missing (every year has days off)");
        }
        Map<LocalDate, YamlNode> holidays = dates(entries.get("holidays"), year);
        Map<LocalDate, YamlNode> workdays = entries.containsKey("workdays")
                ? dates(entries.get("workdays"), year) : Map.of();
        for (Map.Entry<LocalDate, YamlNode> w : workdays.entrySet()) {
            YamlNode h = holidays.get(w.getKey());
            if (h != null) {
                YamlNode later = h.line() > w.getValue().line() ? h : w.getValue();
                YamlNode earlier = later == h ? w.getValue() : h;
                throw later.error(w.getKey() + " is both a holiday and a workday (" + earlier.key() + " on line "
                        + earlier.line() + ")");
            }
            DayOfWeek d = w.getKey().getDayOfWeek();
            if (d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY) {
                throw w.getValue().error(w.getKey() + " is a " + d + ": a workday (调休) is a Saturday or Sunday");
            }
        }
        return new CalendarYear(year, holidays.keySet(), workdays.keySet());
    }

    private static Map<LocalDate, YamlNode> dates(YamlNode list, int year) {
        Map<LocalDate, YamlNode> dates = new HashMap<>();
        for (YamlNode item : list.items()) {
            String t = item.text();
            LocalDate d;
            try {
                d = LocalDate.parse(t, DATE);
            } catch (DateTimeParseException e) {
                throw item.error("'" + t + "' is not a date (yyyy-MM-dd)");
            }
            if (d.getYear() != year) {
                throw item.error(d + " is not in " + year);
            }
            dates.putIfAbsent(d, item);
        }
        return dates;
    }
}

package yingyan.supervision.conf;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where supervision's own files are ({@code hub.supervision.*}): the working-day calendar and the rules'
 * switches, thresholds and lists (docs/contracts/supervision.md §1, §3). A relative directory is found from the
 * working directory first (the quick start, the tests, a production conf/ next to the hub) and else in the jar,
 * whose conf/ holds the shipped copies.
 *
 * @param calendarDir    the directory of the yearly calendar files {@code {year}.yaml} (holidays and 调休 workdays
 *                       from the State Council's yearly notice)
 * @param rulesDir       the directory of {@code rules.yaml} (each rule's switch, version and thresholds) and
 *                       {@code fees.yaml} (free matters and fee standards)
 * @param reloadInterval how often the calendar and rule files are looked at for changes (a changed file is read
 *                       again; a bad one is logged with its file, line and key and the last good configuration
 *                       stays); 0 turns hot reload off
 */
@ConfigurationProperties("hub.supervision")
public record SupervisionFilesProperties(
        @DefaultValue("conf/calendar") String calendarDir,
        @DefaultValue("conf/supervision") String rulesDir,
        @DefaultValue("30s") Duration reloadInterval) {
}

package yingyan.supervision.calendar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.supervision.WorkingCalendar;
import yingyan.supervision.conf.ConfDirectory;

/**
 * The calendar as read from one set of files (immutable; a reload builds a new one). A year without a file
 * counts weekends only: the first time such a year is asked about it is logged (WARN) and remembered for
 * health. The version is a SHA-256 over every file's name and bytes, so any change to any file changes it.
 */
public final class FileCalendar implements WorkingCalendar {
    private static final Logger log = LoggerFactory.getLogger(FileCalendar.class);
    static final Pattern FILE_NAME = Pattern.compile("(\\d{4})\\.yaml");

    private final Map<Integer, CalendarYear> years;
    private final String version;
    private final Set<Integer> missingAsked = ConcurrentHashMap.newKeySet();

    FileCalendar(Map<Integer, CalendarYear> years, String version) {
        this.years = Map.copyOf(years);
        this.version = version;
    }

    /** Reads every {@code {year}.yaml} of {@code dir}; refuses (ConfFileException) the first bad file. */
    public static FileCalendar load(ConfDirectory dir) {
        Map<String, String> files = dir.read(name -> FILE_NAME.matcher(name).matches());
        return of(files, dir::location);
    }

    static FileCalendar of(Map<String, String> files, java.util.function.UnaryOperator<String> location) {
        Map<Integer, CalendarYear> years = new TreeMap<>();
        MessageDigest sha = sha256();
        for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
            Matcher m = FILE_NAME.matcher(f.getKey());
            if (!m.matches()) {
                continue;
            }
            int year = Integer.parseInt(m.group(1));
            years.put(year, CalendarFileReader.read(location.apply(f.getKey()), year, f.getValue()));
            sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(f.getValue().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return new FileCalendar(years, HexFormat.of().formatHex(sha.digest()));
    }

    @Override
    public boolean isWorkingDay(LocalDate day) {
        CalendarYear y = years.get(day.getYear());
        if (y == null) {
            missing(day.getYear());
            return !weekend(day);
        }
        return y.workdays().contains(day) || (!weekend(day) && !y.holidays().contains(day));
    }

    @Override
    public boolean missing(int year) {
        if (years.containsKey(year)) {
            return false;
        }
        if (missingAsked.add(year)) {
            log.warn("No working-day calendar for {}: counting weekends only as days off; alerts computed with {}"
                    + " carry calendarMissing (add {}.yaml from the State Council's notice)", year, year, year);
        }
        return true;
    }

    @Override
    public String version() {
        return version;
    }

    /** The years with a file. */
    public SortedSet<Integer> years() {
        return new TreeSet<>(years.keySet());
    }

    /** The years asked about that have no file. */
    public SortedSet<Integer> missingYearsAsked() {
        return new TreeSet<>(missingAsked);
    }

    private static boolean weekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

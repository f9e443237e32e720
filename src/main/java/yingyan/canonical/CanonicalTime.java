package yingyan.canonical;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Source systems write local Beijing time without offset; the canonical model writes ISO-8601 with +08:00. */
public final class CanonicalTime {
    /** Asia/Shanghai has had no DST since 1991: a fixed offset is exact for every source. */
    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    private static final DateTimeFormatter SOURCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SOURCE_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter ISO_LOCAL =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    /** ISO_OFFSET_DATE_TIME writes UTC as "Z"; the canonical form always has a numeric offset. */
    private static final DateTimeFormatter CANONICAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .appendOffset("+HH:MM:ss", "+00:00")
            .toFormatter();

    private CanonicalTime() {
    }

    /** Parses {@code yyyy-MM-dd HH:mm:ss} local time; impossible dates (Feb 30) are refused. */
    public static OffsetDateTime parseSource(String text) {
        String t = text.trim();
        LocalDateTime quick = quickSource(t);
        return (quick != null ? quick : LocalDateTime.parse(t, SOURCE)).atOffset(BEIJING);
    }

    /**
     * The common case of {@link #parseSource} without the general formatter (every source time of every item
     * goes through here): exactly {@code dddd-dd-dd dd:dd:dd} and a real date and time, else null and the
     * formatter decides, with its own error for anything it refuses.
     */
    private static LocalDateTime quickSource(String t) {
        if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' ' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > Month.of(month).length(Year.isLeap(year)) || hour > 23 || minute > 59
                || second > 59) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second);
    }

    /** The decimal value of {@code n} ASCII digits at {@code from}, or −1 when one is not a digit. */
    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Parses {@code yyyy-MM-ddTHH:mm:ss} local time (the land bureau's form). */
    public static OffsetDateTime parseIsoLocal(String text) {
        return LocalDateTime.parse(text.trim(), ISO_LOCAL).atOffset(BEIJING);
    }

    /** Parses {@code yyyy-MM-dd} as 00:00:00 of that day in Beijing. */
    public static OffsetDateTime parseSourceDate(String text) {
        return LocalDate.parse(text.trim(), SOURCE_DATE).atStartOfDay().atOffset(BEIJING);
    }

    /** Formats for the source API's {@code yyyy-MM-dd HH:mm:ss} parameters. */
    public static String formatSource(OffsetDateTime t) {
        return t.atZoneSameInstant(BEIJING).toLocalDateTime().format(SOURCE);
    }

    /**
     * ISO-8601 with a numeric offset ({@code +00:00}, never {@code Z}); seconds always written, fractions only
     * when present.
     */
    public static String format(OffsetDateTime t) {
        int year = t.getYear();
        int offset = t.getOffset().getTotalSeconds();
        if (year < 0 || year > 9999 || offset % 60 != 0) {
            return t.format(CANONICAL);
        }
        // What CANONICAL writes, without the general formatter (every time of every record is written here).
        StringBuilder b = new StringBuilder(35);
        pad(b, year, 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) {
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            pad(b.append('.'), nano, digits);
        }
        int minutes = Math.abs(offset) / 60;
        b.append(offset < 0 ? '-' : '+');
        pad(b, minutes / 60, 2).append(':');
        return pad(b, minutes % 60, 2).toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    public static OffsetDateTime parse(String text) {
        return OffsetDateTime.parse(text);
    }

    /** True when {@code text} parses with {@link #parseSource}. */
    public static boolean isSourceTime(String text) {
        try {
            parseSource(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}

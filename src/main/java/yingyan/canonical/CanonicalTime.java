package yingyan.canonical;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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
        return LocalDateTime.parse(text.trim(), SOURCE).atOffset(BEIJING);
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
        return t.format(CANONICAL);
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

package yingyan.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import yingyan.canonical.CanonicalTime;

/** Times as an operator reads them: Beijing local time, and how long ago. */
final class Times {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private Times() {
    }

    /** An ISO-8601 instant or offset time from the API as {@code yyyy-MM-dd HH:mm:ss} (Beijing); null stays null. */
    static String local(String iso) {
        Instant t = instant(iso);
        return t == null ? iso : t.atOffset(CanonicalTime.BEIJING).format(LOCAL);
    }

    static Instant instant(String iso) {
        if (iso == null || iso.isBlank() || "null".equals(iso)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(iso);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** {@code 3d 4h}, {@code 4m 12s}, {@code 12s}. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    /** A time with its age: {@code 2026-11-28 13:00:01 (4m 12s ago)}. */
    static String withAge(String iso) {
        Instant t = instant(iso);
        return t == null ? null : local(iso) + " (" + age(Duration.between(t, Instant.now())) + " ago)";
    }
}

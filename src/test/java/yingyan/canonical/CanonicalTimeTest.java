package yingyan.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Canonical times are written and source times read without the general java.time formatter on the common
 * path; what comes out must be exactly what the formatter gives (the documented forms), for any value.
 */
class CanonicalTimeTest {
    /** The canonical form as the model defines it: ISO-8601 local date-time, numeric offset, +00:00 for UTC. */
    private static final DateTimeFormatter REFERENCE = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HH:MM:ss", "+00:00").toFormatter();
    private static final DateTimeFormatter SOURCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    @Test
    void writesWhatTheIsoFormatterWrites_forAnyTimeAndOffset() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            LocalDateTime local = LocalDateTime.of(random.nextInt(10_000), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), nano(random));
            ZoneOffset offset = switch (random.nextInt(4)) {
                case 0 -> CanonicalTime.BEIJING;
                case 1 -> ZoneOffset.UTC;
                case 2 -> ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
                default -> ZoneOffset.ofTotalSeconds(random.nextInt(64_799 * 2) - 64_799); // with seconds too
            };
            OffsetDateTime t = OffsetDateTime.of(local, offset);
            assertThat(CanonicalTime.format(t)).as("%s", t).isEqualTo(t.format(REFERENCE));
        }
        OffsetDateTime farFuture = OffsetDateTime.of(LocalDateTime.of(12_345, 1, 1, 0, 0), ZoneOffset.UTC);
        assertThat(CanonicalTime.format(farFuture)).isEqualTo(farFuture.format(REFERENCE));
        assertThat(CanonicalTime.format(OffsetDateTime.parse("2026-03-10T09:00:03Z"))).isEqualTo("2026-03-10T09:00:03+00:00");
        assertThat(CanonicalTime.format(OffsetDateTime.parse("2026-03-10T09:00:03.120+08:00")))
                .isEqualTo("2026-03-10T09:00:03.12+08:00");
    }

    @Test
    void readsSourceTimesAsTheStrictFormatterDoes_forAnyDigits() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            String text = String.format("%04d-%02d-%02d %02d:%02d:%02d", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62));
            OffsetDateTime expected;
            try {
                expected = LocalDateTime.parse(text, SOURCE).atOffset(CanonicalTime.BEIJING);
            } catch (DateTimeParseException refused) {
                assertThatThrownBy(() -> CanonicalTime.parseSource(text)).as(text)
                        .isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(CanonicalTime.parseSource(text)).as(text).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29 10:00:00", "2026-02-30 10:00:00", "2026-13-01 10:00:00", "2026-04-31 00:00:00",
            "2026-03-01 24:00:00", "2026-03-01 10:60:00", "2026-03-01T10:00:00", "2026-3-01 10:00:00",
            "２０２６-03-01 10:00:00", "2026-03-01 10:00:0x", "2026-03-01 10:00", ""})
    void refusesWhatTheStrictFormatterRefuses(String text) {
        assertThatThrownBy(() -> CanonicalTime.parseSource(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void acceptsALeapDayAndSurroundingSpaces() {
        assertThat(CanonicalTime.parseSource(" 2024-02-29 23:59:59 "))
                .isEqualTo(OffsetDateTime.parse("2024-02-29T23:59:59+08:00"));
    }

    private static int nano(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
        };
    }
}

package yingyan.canonical;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resident identity numbers (GB 11643-1999). Validation never echoes the clear number: every
 * message carries the masked form only.
 */
public final class ResidentIds {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";
    private static final DateTimeFormatter BIRTH =
            DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
    /**
     * Anything shaped like an 18- or 15-character ID, for masking free text (logs, raw payloads on screen). A
     * letter right after it does not save it ("…0014cd"): masking must reach every number {@link #findClear}
     * finds.
     */
    private static final Pattern ID_LIKE =
            Pattern.compile("(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])");
    /** An 18-character run standing alone among digits, for finding clear numbers in free text. */
    private static final Pattern ID18_IN_TEXT = Pattern.compile("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])");

    private ResidentIds() {
    }

    /**
     * Returns the normalised 18-character number (upper-case X).
     *
     * @param legacy whether the source marks this number as a legacy 15-digit one
     * @throws InvalidSourceException naming the field, the masked value and the broken rule
     */
    public static String normalise(String field, String raw, boolean legacy) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidSourceException(field, null, "resident ID is required");
        }
        String id = raw.trim().toUpperCase(java.util.Locale.ROOT);
        if (id.length() == 15) {
            if (!legacy) {
                throw new InvalidSourceException(field, mask(id),
                        "15-digit resident ID not marked legacy by the source");
            }
            if (!id.matches("[0-9]{15}")) {
                throw new InvalidSourceException(field, mask(id), "legacy resident ID must be 15 digits");
            }
            String body = id.substring(0, 6) + "19" + id.substring(6);
            id = body + checkChar(body);
        }
        if (!id.matches("[0-9]{17}[0-9X]")) {
            throw new InvalidSourceException(field, mask(id), "resident ID must be 17 digits and a check character");
        }
        try {
            LocalDate.parse(id.substring(6, 14), BIRTH);
        } catch (DateTimeParseException e) {
            throw new InvalidSourceException(field, mask(id), "resident ID birth date (positions 7-14) does not exist");
        }
        char expected = checkChar(id.substring(0, 17));
        if (id.charAt(17) != expected) {
            throw new InvalidSourceException(field, mask(id), "resident ID check character is wrong (GB 11643)");
        }
        return id;
    }

    /** First 6 + eight stars + last 4; shorter input is starred out entirely. */
    public static String mask(String id) {
        if (id == null) {
            return null;
        }
        if (id.length() < 10) {
            return "*".repeat(id.length());
        }
        return id.substring(0, 6) + "*".repeat(id.length() - 10) + id.substring(id.length() - 4);
    }

    /** Masks everything in free text that is shaped like a resident ID. */
    public static String maskAll(String text) {
        if (text == null) {
            return null;
        }
        return ID_LIKE.matcher(text).replaceAll(m -> mask(m.group()));
    }

    /**
     * The resident ID numbers written in clear in free text: 18-character runs (not part of a longer number)
     * whose birth date exists and whose check character is right, the rules of {@link #normalise}. Masked
     * forms, wrong check characters and other long numbers are not returned. Never log what this returns:
     * {@link #mask} it.
     */
    public static List<String> findClear(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        Matcher m = ID18_IN_TEXT.matcher(text);
        while (m.find()) {
            if (isValid(m.group())) {
                found.add(m.group());
            }
        }
        return found;
    }

    /** Whether an 18-character number is a valid resident ID (existing birth date, right check character). */
    static boolean isValid(String id18) {
        String id = id18.toUpperCase(java.util.Locale.ROOT);
        if (!id.matches("[0-9]{17}[0-9X]")) {
            return false;
        }
        try {
            LocalDate.parse(id.substring(6, 14), BIRTH);
        } catch (DateTimeParseException e) {
            return false;
        }
        return id.charAt(17) == checkChar(id.substring(0, 17));
    }

    static char checkChar(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK.charAt(sum % 11);
    }
}

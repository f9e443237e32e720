package yingyan.canonical;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
    /** Province codes (GB/T 2260, first two digits of every resident ID), for the shapes without a check character. */
    private static final Set<String> PROVINCES = Set.of("11", "12", "13", "14", "15", "21", "22", "23", "31", "32",
            "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
            "63", "64", "65", "71", "81", "82");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);
    /**
     * A chain of digit groups joined by single separators (space or hyphen), the last group perhaps ending in X: the
     * text an ID may be written as ("aaaaaa bbbbbbbb cccc", "aaaaaa-bbbbbbbb-cccc", a letter standing for a digit). Matched on {@link #halfWidth}
     * text. A letter right after it does not save it ("…0014cd").
     */
    private static final Pattern CHAIN = Pattern.compile("(?<![0-9])[0-9]+(?:[ -][0-9]+)*[Xx]?");
    private static final Pattern GROUP = Pattern.compile("[0-9]+[Xx]?");
    /** Hashes (32+ hex characters) and UUIDs: their digit runs are not IDs, and a reader needs them whole. */
    private static final Pattern OPAQUE = Pattern.compile("(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{32,}"
            + "|[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})(?![0-9A-Za-z])");
    private static final int MIN_RUN = 15;
    private static final int MAX_RUN = 19;

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
        String id = raw.trim().toUpperCase(Locale.ROOT);
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

    /**
     * Masks everything in free text that may be a resident ID: every run of 15 to 19 digits (the last may be X),
     * written together or in groups joined by single spaces or by single hyphens (one kind in one number), in
     * ASCII or full-width digits. Each is replaced by {@link #mask} of its characters without separators
     * ("aaaaaa bbbbbbbb cccc" becomes "aaaaaa********cccc"). Left whole, because they are data a reader needs and
     * cannot be an ID: hashes and UUIDs, a run that begins with a timestamp (yyyyMMddHHmmss: no province code is
     * 19 or 20), an 18-digit valid credit code that is not a valid ID. Groups of fewer than 3 digits are not
     * joined to what follows (dates, lists of small numbers, "+86 138 …"), nor are groups joined by different
     * separators ("SG-2026-000123 370700"). Masking reaches every number {@link #findClear} finds.
     */
    public static String maskAll(String text) {
        if (text == null) {
            return null;
        }
        List<int[]> spans = new ArrayList<>();
        String norm = halfWidth(text);
        if (norm == null) {
            return text;
        }
        for (Window w : windows(norm)) {
            if (mayBeId(w.digits)) {
                if (!spans.isEmpty() && spans.get(spans.size() - 1)[1] >= w.start) {
                    int[] last = spans.get(spans.size() - 1);
                    last[1] = Math.max(last[1], w.end);
                } else {
                    spans.add(new int[] {w.start, w.end});
                }
            }
        }
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (int[] span : spans) {
            out.append(text, at, span[0]).append(mask(compact(norm.substring(span[0], span[1]))));
            at = span[1];
        }
        return out.append(text, at, text.length()).toString();
    }

    /**
     * The resident ID numbers written in clear in free text, in any shape {@link #maskAll} masks, returned without
     * separators and in ASCII (case kept): an 18-character number whose birth date exists and whose check character
     * is right (the rules of {@link #normalise}); a 15-digit legacy number or a 17-digit one (an 18-digit number
     * without its check character) that starts with a province code and whose birth date exists in 1800-2099; a
     * 16- or 19-digit run that begins or ends with one of 15 or 18 characters (an ID with a digit too many; the 18
     * must then also start with a province code and a birth year in 1800-2099). Masked forms, wrong check
     * characters and other long numbers are not returned. Never log what this returns: {@link #mask} it.
     */
    public static List<String> findClear(String text) {
        if (text == null) {
            return List.of();
        }
        String norm = halfWidth(text);
        if (norm == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        int end = -1;
        for (Window w : windows(norm)) {
            if (w.start >= end && mayBeId(w.digits) && isClear(w.digits)) {
                found.add(w.digits);
                end = w.end; // one ID, written in groups, is found once
            }
        }
        return found;
    }

    /** A stretch of the text (start inclusive, end exclusive) with 15 to 19 ID characters, separators removed. */
    private record Window(int start, int end, String digits) {
    }

    /** Every stretch of whole groups of a chain that holds 15 to 19 characters, in order of start. */
    private static List<Window> windows(String norm) {
        List<Window> out = new ArrayList<>();
        List<int[]> opaque = null;
        Matcher chain = CHAIN.matcher(norm);
        while (chain.find()) {
            List<int[]> groups = new ArrayList<>();
            Matcher g = GROUP.matcher(norm).region(chain.start(), chain.end());
            while (g.find()) {
                groups.add(new int[] {g.start(), g.end()});
            }
            for (int i = 0; i < groups.size(); i++) {
                int length = 0;
                for (int j = i; j < groups.size(); j++) {
                    if (j > i && (groups.get(j - 1)[1] - groups.get(j - 1)[0] < 3
                            || norm.charAt(groups.get(j - 1)[1]) != norm.charAt(groups.get(i)[1]))) {
                        break;
                    }
                    length += groups.get(j)[1] - groups.get(j)[0];
                    if (length > MAX_RUN) {
                        break;
                    }
                    if (length >= MIN_RUN) {
                        if (opaque == null) {
                            opaque = opaqueSpans(norm);
                        }
                        int start = groups.get(i)[0];
                        int end = groups.get(j)[1];
                        if (opaque.stream().noneMatch(o -> o[0] < end && start < o[1])) {
                            out.add(new Window(start, end, compact(norm.substring(start, end))));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<int[]> opaqueSpans(String norm) {
        List<int[]> out = new ArrayList<>();
        Matcher m = OPAQUE.matcher(norm);
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    /** False for the runs that are known to be something else: a timestamp, an 18-digit credit code that is no ID. */
    private static boolean mayBeId(String digits) {
        if (digits.length() <= 17 && (digits.startsWith("19") || digits.startsWith("20")) && isTimestamp(digits)) {
            return false;
        }
        return !(digits.length() == 18 && CreditCodes.isValid(digits.toUpperCase(Locale.ROOT)) && !isValid(digits));
    }

    private static boolean isTimestamp(String digits) {
        try {
            TIMESTAMP.parse(digits.substring(0, 14));
            return true;
        } catch (DateTimeParseException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Whether a window's characters are, or hold at one end, a resident ID (see {@link #findClear}). */
    private static boolean isClear(String digits) {
        return switch (digits.length()) {
            case 15 -> isLegacy(digits);
            case 16 -> isLegacy(digits.substring(0, 15)) || isLegacy(digits.substring(1));
            case 17 -> isWithoutCheck(digits);
            case 18 -> isValid(digits);
            case 19 -> isPlausible(digits.substring(0, 18)) || isPlausible(digits.substring(1));
            default -> false;
        };
    }

    /**
     * An 18-character ID inside a longer run: valid, with a province code and a birth year in 1800-2099 (random
     * 19-digit numbers, such as a temporary folder's name, would otherwise hold a valid one once in 150).
     */
    private static boolean isPlausible(String id18) {
        return isValid(id18) && isWithoutCheck(id18.substring(0, 17));
    }

    private static boolean isLegacy(String id15) {
        return id15.matches("[0-9]{15}") && isWithoutCheck(id15.substring(0, 6) + "19" + id15.substring(6));
    }

    /** Without a check character to vouch for it, a number must also have a birth year a living person can have. */
    private static boolean isWithoutCheck(String id17) {
        if (!id17.matches("[0-9]{17}") || !PROVINCES.contains(id17.substring(0, 2))) {
            return false;
        }
        int century = Integer.parseInt(id17.substring(6, 8));
        if (century < 18 || century > 20) {
            return false;
        }
        try {
            LocalDate.parse(id17.substring(6, 14), BIRTH);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * The text with full-width digits, X, hyphen and the ideographic and no-break spaces as their ASCII forms, one
     * character for one so that positions stay; null when it holds fewer than 15 digits (nothing to look for).
     */
    private static String halfWidth(String text) {
        char[] c = null;
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            char ascii = switch (ch) {
                case '\uFF38' -> 'X';
                case '\uFF58' -> 'x';
                case '\uFF0D' -> '-';
                case '\u3000', '\u00A0' -> ' ';
                default -> ch >= '\uFF10' && ch <= '\uFF19' ? (char) ('0' + ch - '\uFF10') : ch;
            };
            if (ascii >= '0' && ascii <= '9') {
                digits++;
            }
            if (ascii != ch) {
                if (c == null) {
                    c = text.toCharArray();
                }
                c[i] = ascii;
            }
        }
        if (digits < MIN_RUN) {
            return null;
        }
        return c == null ? text : new String(c);
    }

    private static String compact(String chain) {
        return chain.replace(" ", "").replace("-", "");
    }

    /** Whether an 18-character number is a valid resident ID (existing birth date, right check character). */
    static boolean isValid(String id18) {
        String id = id18.toUpperCase(Locale.ROOT);
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

package yingyan.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.ResidentIds;
import yingyan.canonical.Violation;

/**
 * Every problem of one JSON item, collected while a mapper reads it, so that its quarantine reason names them
 * all (field, value, rule) rather than the first. Values are echoed masked ({@link #echo}).
 */
public final class MappingProblems {
    private static final int MAX_ECHO = 120;

    private final List<Violation> found = new ArrayList<>();
    private final Function<String, OffsetDateTime> timeParser;
    private final String timeRule;
    private final String textRule;

    /**
     * @param timeParser how the source writes a time (throws {@link DateTimeParseException} on anything else)
     * @param timeRule the rule a time that does not parse breaks, in words, e.g. "must be yyyy-MM-dd HH:mm:ss"
     */
    public MappingProblems(Function<String, OffsetDateTime> timeParser, String timeRule) {
        this(timeParser, timeRule, "must be a string");
    }

    /** @param textRule the rule a member read as text breaks when it is not a string, in the source's words */
    public MappingProblems(Function<String, OffsetDateTime> timeParser, String timeRule, String textRule) {
        this.timeParser = timeParser;
        this.timeRule = timeRule;
        this.textRule = textRule;
    }

    /** Values as shown in a reason: resident-ID-shaped runs masked, long values cut. */
    public static String echo(String value) {
        if (value == null) {
            return null;
        }
        String masked = ResidentIds.maskAll(value);
        return masked.length() <= MAX_ECHO ? masked : masked.substring(0, MAX_ECHO - 1) + "…";
    }

    public void add(String field, String value, String rule) {
        found.add(new Violation(field, echo(value), rule));
    }

    /** Adds the problems another check found (a resident ID the protector refused). */
    public void addAll(InvalidSourceException e) {
        e.violations().forEach(v -> add(v.field(), v.value(), v.rule()));
    }

    public boolean has(String field) {
        return found.stream().anyMatch(v -> v.field().equals(field));
    }

    public String text(JsonNode parent, String field) {
        return text(parent, field, field);
    }

    /** A string member, or null when missing or null; anything else is a problem of {@code field}. */
    public String text(JsonNode parent, String field, String member) {
        JsonNode v = parent.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            add(field, v.toString(), textRule);
            return null;
        }
        return v.textValue();
    }

    /** An object member, or null when missing or null; anything else is a problem naming its {@code shape}. */
    public JsonNode object(JsonNode parent, String field, String shape) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            add(field, v.toString(), "must be an object " + shape + " or null");
            return null;
        }
        return v;
    }

    /** A time as the source writes it, or null when missing, null or empty. */
    public OffsetDateTime time(JsonNode parent, String field) {
        String s = text(parent, field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return timeParser.apply(s);
        } catch (DateTimeParseException e) {
            add(field, s, timeRule);
            return null;
        }
    }

    /** A whole number that fits an int, or null when missing or null; {@code rule} says what it must be. */
    public Integer integer(JsonNode parent, String field, String rule) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            add(field, v.toString(), rule);
            return null;
        }
        return v.intValue();
    }

    /** The record's key: a string member; missing, null or blank is a problem ({@code rule} says why it is needed). */
    public String key(JsonNode parent, String field, String rule) {
        String key = text(parent, field);
        if (key == null || key.isBlank()) {
            add(field, key, rule);
        }
        return key;
    }

    /** A time that must be there: missing, null or empty is a problem ({@code rule} says why it is needed). */
    public OffsetDateTime requiredTime(JsonNode parent, String field, String rule) {
        OffsetDateTime t = time(parent, field);
        if (t == null && !has(field)) {
            add(field, null, rule);
        }
        return t;
    }

    /** @throws InvalidSourceException naming every problem found, when there is any */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidSourceException(found);
        }
    }
}

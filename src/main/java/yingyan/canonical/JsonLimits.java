package yingyan.canonical;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one place the hub's limits on JSON it reads are set. Every Jackson reader of the hub (canonical
 * JSON, the approvals and hub-feed pages, the housing-fund rows, the province's answers, Spring MVC's
 * mapper) is built from {@link #factory()}, so a department that sends a document nested 10 000 deep or a
 * 50 MB string meets the same refusal everywhere, named: the item goes to quarantine with
 * {@link #describe} as the reason, and the rest of the page goes on.
 *
 * <p>Why these numbers: the deepest document the hub reads legitimately is a feed page (page → items →
 * record → timeline → entry, 6 levels), the longest string a name, an address or a quarantine reason
 * (a few KB). The limits leave room for sources that wrap more, and stay far below what costs memory or
 * stack (Jackson's own defaults, 1000 levels and 20 M characters, are a library's, not a decision).
 */
public final class JsonLimits {
    /** Deepest nesting of objects and arrays in one document. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest string value, in characters (checked while reading: a longer one is never held whole). */
    public static final int MAX_STRING_LENGTH = 1024 * 1024;
    /** Longest number, in characters (an amount is a string anyway; a number is a count or a limit). */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Longest property name, in characters. */
    public static final int MAX_NAME_LENGTH = 1024;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build();

    private JsonLimits() {
    }

    public static StreamReadConstraints constraints() {
        return CONSTRAINTS;
    }

    /** A new JSON factory with the hub's read limits. */
    public static JsonFactory factory() {
        return JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
    }

    /** A mapper builder over {@link #factory()}: how every hub ObjectMapper starts. */
    public static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder(factory());
    }

    /** A plain mapper with the hub's limits (for small internal documents: watermarks, answers). */
    public static ObjectMapper mapper() {
        return mapperBuilder().build();
    }

    /** Gives an existing mapper (e.g. Spring's) the hub's limits. */
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
        return mapper;
    }

    /** Whether the failure is one of these limits (not a syntax error). */
    public static boolean isLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A parse failure in words, without Jackson's location dump (which may quote the payload); a limit is
     * named as the hub's: {@code over the hub's JSON limits (JsonLimits): Document nesting depth (65)
     * exceeds the maximum allowed (64)}.
     */
    public static String describe(Throwable e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        // Jackson names its own getter; the hub's constant is what a person can look up.
        return isLimit(e) ? "over the hub's JSON limits (JsonLimits): "
                + m.replaceFirst(",? ?from `StreamReadConstraints\\.[^`]*`", "") : m;
    }
}

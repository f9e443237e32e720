package yingyan.web;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import yingyan.canonical.Domain;
import yingyan.canonical.RegionCodes;

/**
 * The query parameters several listings and feeds share, checked one way: an absent value filters nothing, a
 * wrong one is a 400 naming the parameter (never an empty answer that looks like "nothing matches").
 */
public final class QueryParams {
    private QueryParams() {
    }

    /** A {@code domain} filter: null when absent, else one of {@link Domain}'s names. */
    public static String domain(String domain) {
        if (domain == null) {
            return null;
        }
        try {
            return Domain.valueOf(domain).name();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("domain", "unknown domain '" + domain + "'; one of "
                    + Arrays.toString(Domain.values()));
        }
    }

    /** A {@code regionCode} filter: null when absent, else a region code the hub knows. */
    public static String regionCode(String regionCode) {
        if (regionCode != null && !RegionCodes.isKnown(regionCode)) {
            throw new BadRequestException("regionCode", "unknown region code '" + regionCode + "'");
        }
        return regionCode;
    }

    /**
     * A count a client may ask for, such as {@code limit}, {@code minutes} or {@code months}: {@code whenAbsent}
     * when it did not say, else 1 to {@code max}; outside that a 400 naming the parameter.
     */
    public static int count(String field, Integer requested, int whenAbsent, int max) {
        if (requested == null) {
            return whenAbsent;
        }
        if (requested < 1 || requested > max) {
            throw new BadRequestException(field, field + " must be between 1 and " + max);
        }
        return requested;
    }

    /**
     * A time bound such as {@code from} / {@code to}: null when absent or blank, else an ISO-8601 date-time with
     * offset; {@code example} is the one the 400 shows (each listing names a time of its own data).
     */
    public static OffsetDateTime time(String field, String text, String example) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field, field + " must be an ISO-8601 date-time with offset,"
                    + " e.g. " + example);
        }
    }
}

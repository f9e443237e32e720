package yingyan.spi;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The checks and forms the settings of an HTTP source share ({@code hub.adapters.<id>.base-url}, timeouts,
 * backoffs, the largest answer taken), so each adapter's properties record keeps only its own keys.
 */
public final class HttpSourceSettings {
    private HttpSourceSettings() {
    }

    /** Whether every duration is set and above zero. */
    public static boolean positive(Duration... durations) {
        for (Duration d : durations) {
            if (d == null || d.isNegative() || d.isZero()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the duration is set and not negative (an overlap, a tolerance). */
    public static boolean notNegative(Duration d) {
        return d != null && !d.isNegative();
    }

    /** Whether every credential is set (not blank), or the adapter is off and needs none. */
    public static boolean credentialsPresent(boolean enabled, String... credentials) {
        if (!enabled) {
            return true;
        }
        for (String c : credentials) {
            if (c == null || c.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** A base URL without its trailing slash, for paths to be appended. */
    public static String root(String baseUrl) {
        String b = baseUrl.trim();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /** Whether the largest answer taken lies between 1 KB and 1 GB. */
    public static boolean isMaxPageSizeValid(DataSize maxPageSize) {
        return maxPageSize != null && maxPageSize.toBytes() >= 1024 && maxPageSize.toBytes() <= 1L << 30;
    }
}

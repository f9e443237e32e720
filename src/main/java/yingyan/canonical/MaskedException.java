package yingyan.canonical;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A copy of an exception for a log line, with every resident ID in its messages masked ({@link ResidentIds#maskAll}):
 * the original's class name opens its message, and its stack trace, causes and suppressed exceptions are kept, so a
 * stack trace still says where it came from. A department's data reaches exception messages (a parser quoting the
 * line it choked on, a driver quoting the value it refused); logging the original would write that data in clear.
 */
public final class MaskedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private MaskedException(Throwable original, Set<Throwable> seen) {
        super(message(original), maskedCause(original, seen));
        setStackTrace(original.getStackTrace());
        for (Throwable s : original.getSuppressed()) {
            if (seen.add(s)) {
                addSuppressed(new MaskedException(s, seen));
            }
        }
    }

    /** The masked copy of {@code original} (null for null). */
    public static MaskedException of(Throwable original) {
        if (original == null) {
            return null;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
        seen.add(original);
        return new MaskedException(original, seen);
    }

    private static MaskedException maskedCause(Throwable original, Set<Throwable> seen) {
        Throwable cause = original.getCause();
        return cause != null && seen.add(cause) ? new MaskedException(cause, seen) : null;
    }

    /** "class: masked message", as {@link Throwable#toString} would say it. */
    private static String message(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getName() + (m == null ? "" : ": " + ResidentIds.maskAll(m));
    }
}

package yingyan.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque list cursors: clients pass them back unchanged; their content may change between versions. */
public final class Cursors {
    /** The response header that carries the next cursor of a feed page or a CSV export. */
    public static final String NEXT_HEADER = "X-Next-Cursor";
    private static final String PREFIX = "v1:";
    /** Feed cursors are told apart from listing cursors: a listing position means nothing to the feed. */
    private static final String FEED_PREFIX = "f1:";
    /** The alert feed's positions (alert_event.seq) are told apart from the record feed's. */
    private static final String ALERT_FEED_PREFIX = "a1:";

    private Cursors() {
    }

    public static String encode(long position) {
        return encode(PREFIX, position);
    }

    /** @throws BadRequestException when the cursor was not made by {@link #encode} */
    public static long decode(String cursor) {
        return decode(PREFIX, cursor);
    }

    /** Where a listing goes on: the position in {@code cursor}, or null (the first page) when there is none. */
    public static Long decodeOrNull(String cursor) {
        return cursor == null ? null : decode(cursor);
    }

    /** A change-feed position: the last {@code record_version.seq} served. */
    public static String encodeFeed(long seq) {
        return encode(FEED_PREFIX, seq);
    }

    /** @throws BadRequestException when the cursor was not made by {@link #encodeFeed} */
    public static long decodeFeed(String cursor) {
        return decode(FEED_PREFIX, cursor);
    }

    /** An alert-feed position: the last {@code alert_event.seq} served. */
    public static String encodeAlertFeed(long seq) {
        return encode(ALERT_FEED_PREFIX, seq);
    }

    /** @throws BadRequestException when the cursor was not made by {@link #encodeAlertFeed} */
    public static long decodeAlertFeed(String cursor) {
        return decode(ALERT_FEED_PREFIX, cursor);
    }

    private static String encode(String prefix, long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((prefix + position).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decode(String prefix, String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!s.startsWith(prefix)) {
                throw new IllegalArgumentException();
            }
            long position = Long.parseLong(s.substring(prefix.length()));
            if (position < 0) {
                throw new IllegalArgumentException();
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("after", "not a cursor this hub issued");
        }
    }
}

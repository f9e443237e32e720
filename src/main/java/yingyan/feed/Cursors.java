package yingyan.feed;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque list cursors: clients pass them back unchanged; their content may change between versions. */
public final class Cursors {
    private static final String PREFIX = "v1:";

    private Cursors() {
    }

    public static String encode(long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + position).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws BadRequestException when the cursor was not made by {@link #encode} */
    public static long decode(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!s.startsWith(PREFIX)) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(s.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("after", "not a cursor this hub issued");
        }
    }
}

package yingyan.spi;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

/**
 * One source item exactly as an adapter received it, before mapping: the bytes the payload hash is
 * computed over, where it came from (page, file and line, row key) and when it was read.
 *
 * @param adapterId the adapter id, also {@code source.system}
 * @param sourceKey the source's own key when readable, else null
 * @param raw the item in the adapter's documented stable serialisation
 * @param charset how {@code raw} is encoded (UTF-8 unless the source says otherwise)
 * @param origin where a person finds it in the source: "page 3 item 7", "cgjg_2026031110.csv line 12"
 * @param fetchedAt when the hub read it
 * @param parsed what the adapter already parsed {@code raw} into while reading it (a page's item node), so its
 *               mapper need not parse the same bytes again; null when there is none (a file line, a release
 *               from quarantine). Only ever the parse of {@code raw} itself: a mapper given it must map exactly
 *               as it would from the bytes.
 */
public record SourceItem(String adapterId, String sourceKey, byte[] raw, Charset charset, String origin,
                         OffsetDateTime fetchedAt, Object parsed) {

    public SourceItem(String adapterId, String sourceKey, byte[] raw, Charset charset, String origin,
                      OffsetDateTime fetchedAt) {
        this(adapterId, sourceKey, raw, charset, origin, fetchedAt, null);
    }

    public static SourceItem utf8(String adapterId, String sourceKey, byte[] raw, String origin,
                                  OffsetDateTime fetchedAt) {
        return new SourceItem(adapterId, sourceKey, raw, StandardCharsets.UTF_8, origin, fetchedAt, null);
    }

    /** A UTF-8 item with the adapter's own parse of {@code raw} (see {@link #parsed}). */
    public static SourceItem utf8(String adapterId, String sourceKey, byte[] raw, String origin,
                                  OffsetDateTime fetchedAt, Object parsed) {
        return new SourceItem(adapterId, sourceKey, raw, StandardCharsets.UTF_8, origin, fetchedAt, parsed);
    }

    /** The payload as text, decoded with its own charset. */
    public String text() {
        return new String(raw, charset);
    }

    @Override
    public String toString() {
        // Never the payload: it may hold a resident ID in clear.
        return "SourceItem[" + adapterId + ", key=" + sourceKey + ", " + origin + ", " + raw.length + " bytes]";
    }
}

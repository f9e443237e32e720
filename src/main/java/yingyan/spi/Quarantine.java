package yingyan.spi;

import java.nio.charset.Charset;

/**
 * Where an adapter files what it read but cannot hand over as an item (a page that is not the API's JSON, an
 * export element its reader cannot parse, a refused file), for a person to see with its reason. Items that
 * fail mapping or validation need none of this: {@link IngestGateway#submit} quarantines them.
 */
public interface Quarantine {

    /**
     * Stores a bad item, raw bytes encrypted at rest, or counts it again when the same bytes are already open
     * for the adapter; returns the open entry's id.
     *
     * @param sourceKey     the item's key at the source, or null when there is none
     * @param origin        where it was read (page URL, file and line)
     * @param field         what was wrong, e.g. {@code (page)}, {@code (file)} or a field name
     * @param payloadSha256 {@link Payloads#sha256} of {@code raw}
     */
    long add(String adapter, String sourceKey, String origin, String field, String reason, String payloadSha256,
             byte[] raw, Charset charset);
}

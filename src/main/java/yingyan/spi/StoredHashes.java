package yingyan.spi;

import java.util.Map;
import java.util.Set;

/**
 * What the hub holds of an adapter's source items, by the items' payload hashes: for a reconciliation that
 * compares a source's rows with what was stored, to find the rows a watermark missed.
 */
public interface StoredHashes {

    /**
     * Which of {@code items} (source key → payload hash of the item as read now, {@link Payloads#sha256}) the
     * hub holds: the key's stored record has that hash, or an item with that hash is in quarantine (read, and
     * refused for a reason a person sees). The others it has never seen in that content.
     */
    Set<String> held(String adapter, Map<String, String> items);
}

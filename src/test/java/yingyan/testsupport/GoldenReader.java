package yingyan.testsupport;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import yingyan.spi.SourceItem;

/**
 * Reads one golden case's {@code input.*} the way an adapter reads its source, for the one golden test
 * ({@code yingyan.adapters.GoldenCasesTest}). An adapter names its reader in
 * {@code adapters/<id>/test/golden.properties}: {@code reader=json-page} (a page of JSON items, read by the
 * test itself: no Java) or a class of that folder implementing this, for an adapter with its own reader (a
 * database, an export file). Such a class needs a no-argument constructor.
 */
public interface GoldenReader {

    /**
     * Reads {@code caseDir}'s input and hands {@code sink} each item, and each part the adapter quarantines
     * itself before any mapping (a refused file), in the order the adapter reads them.
     *
     * @param fetchedAt the read time each item carries
     */
    void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception;

    /** Receives what the adapter read. */
    interface Sink {
        /** An item, mapped and validated next as the hub's Normaliser does. */
        void item(SourceItem item);

        /** A part of the input the adapter quarantines itself, its reason as the adapter words it. */
        void problem(String sourceKey, String field, String reason);
    }
}

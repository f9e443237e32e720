package yingyan.spi;

import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.InvalidSourceException;

/**
 * Maps one source item of one adapter to a canonical record. Each adapter folder provides one as a
 * Spring bean; quarantine release re-runs it on the stored raw bytes, so it must need nothing but
 * the item itself.
 */
public interface SourceMapper {

    /** The adapter id this mapper serves (the {@code source.system} of its records). */
    String adapterId();

    /**
     * @throws InvalidSourceException naming field, value (resident IDs masked) and rule when the item
     *         cannot become a valid record; any other exception is treated the same way
     */
    CanonicalRecord map(SourceItem item, MappingContext context);

    /**
     * Whether a record this mapper produced may carry {@code system} as its {@code source.system}. A
     * department adapter's records are its own ({@code system} equals {@link #adapterId()}); a relay of
     * another hub's canonical records (hub-feed) keeps their original lineage and overrides this.
     */
    default boolean acceptsSourceSystem(String system) {
        return adapterId().equals(system);
    }
}

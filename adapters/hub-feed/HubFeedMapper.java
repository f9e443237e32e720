package yingyan.adapters.hubfeed;

import java.io.IOException;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.JsonLimits;
import yingyan.canonical.ResidentIds;
import yingyan.spi.MappingContext;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * An item of another hub's feed is already a canonical v1 record: it passes through as it is — same
 * recordId, same lineage ({@code source.system} is the department adapter that read it at the other hub,
 * {@code payloadSha256} the hash of the department's bytes, {@code fetchedAt} when the other hub read
 * them) — after the Normaliser validated it like any record. Resident IDs arrive already masked and
 * hashed (every hub uses the same HMAC key), so there is nothing to protect here.
 */
@Component
class HubFeedMapper implements SourceMapper {

    @Override
    public String adapterId() {
        return HubFeedProperties.ADAPTER_ID;
    }

    @Override
    public CanonicalRecord map(SourceItem item, MappingContext context) {
        CanonicalRecord r;
        try {
            r = CanonicalJson.mapper().readValue(item.raw(), CanonicalRecord.class);
        } catch (IOException e) {
            String why = JsonLimits.describe(e).split("\n")[0];
            throw new InvalidSourceException("(item)", null, "not a canonical v1 record as JSON: "
                    + ResidentIds.maskAll(why));
        }
        if (r == null) {
            throw new InvalidSourceException("(item)", "null", "a feed item must be a canonical v1 record object");
        }
        return r;
    }

    /** The relayed records keep the system of the department adapter that read them at the other hub. */
    @Override
    public boolean acceptsSourceSystem(String system) {
        return system != null && !system.isBlank();
    }
}

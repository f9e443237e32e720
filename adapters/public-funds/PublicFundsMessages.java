package yingyan.adapters.publicfunds;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import yingyan.spi.ExactJson;
import yingyan.spi.Payloads;
import yingyan.spi.SourceItem;

/**
 * One treasury message body → one source item, the same way for the queue consumer and the golden test.
 * A body that parses as a JSON object is carried in its stable form ({@link Payloads#stableJson}: compact UTF-8,
 * keys sorted at every level, decimals exactly as written), so a payment republished after a failover, whatever
 * its key order or whitespace, hashes the same and is the same version. Any other body is carried as received
 * (no key): the mapper refuses it and the hub quarantines it.
 */
final class PublicFundsMessages {
    private PublicFundsMessages() {
    }

    static SourceItem item(byte[] body, String origin, OffsetDateTime fetchedAt) {
        JsonNode node;
        try {
            node = ExactJson.read(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return SourceItem.utf8(PublicFundsProperties.ADAPTER_ID, null, body, origin, fetchedAt);
        }
        JsonNode payNo = node.get("payNo");
        String key = payNo != null && payNo.isTextual() && !payNo.textValue().isBlank() ? payNo.textValue() : null;
        return SourceItem.utf8(PublicFundsProperties.ADAPTER_ID, key, Payloads.stableJson(node), origin, fetchedAt);
    }
}

package yingyan.adapters.approvals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import yingyan.canonical.JsonLimits;
import yingyan.spi.JsonPages;
import yingyan.spi.Payloads;

/**
 * How the approvals adapter reads JSON: pages from the API, and items back from their stored bytes
 * (mapping, quarantine release). Decimals stay {@link java.math.BigDecimal} with the digits the source
 * wrote (no double, no stripped zeros), so a float fee is seen as exactly what was sent, and the stable
 * serialisation hashed for {@code payloadSha256} changes whenever any written digit changes.
 */
final class ApprovalsJson {
    private static final ObjectMapper READER = JsonLimits.mapperBuilder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ApprovalsJson() {
    }

    /** Parses one JSON document; empty input or anything after the document is an error. */
    static JsonNode read(byte[] json) throws IOException {
        JsonNode node = READER.readTree(json);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty body: no JSON document");
        }
        return node;
    }

    /** Parses a page {total, page, size, items}; an item that alone cannot be read comes back refused. */
    static JsonPages.Page readPage(byte[] json) throws IOException {
        return JsonPages.read(json, "items", READER);
    }

    /** A parse error in words, without Jackson's location dump (which may quote the payload). */
    static String why(IOException e) {
        return JsonLimits.describe(e);
    }

    /** The item as hashed and stored: {@link Payloads#stableJson} (compact UTF-8, keys sorted at every level). */
    static byte[] stable(JsonNode item) {
        return Payloads.stableJson(item);
    }
}

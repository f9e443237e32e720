package yingyan.adapters.trading;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import yingyan.canonical.JsonLimits;
import yingyan.spi.JsonPages;

/**
 * How the trading adapter reads JSON: change pages from the centre and items back from their stored bytes.
 * Decimals keep the digits the centre wrote, so the stable JSON hashed for {@code payloadSha256}
 * ({@link yingyan.spi.Payloads#stableJson}: compact UTF-8, keys sorted at every level) changes with any digit.
 */
final class TradingJson {
    private static final ObjectMapper READER = JsonLimits.mapperBuilder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private TradingJson() {
    }

    static JsonNode read(byte[] json) throws IOException {
        JsonNode node = READER.readTree(json);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty body: no JSON document");
        }
        return node;
    }

    /** A change page {data, nextCursor, hasMore}; an item that alone cannot be read comes back refused. */
    static JsonPages.Page readPage(byte[] json) throws IOException {
        return JsonPages.read(json, "data", READER);
    }

    static String why(IOException e) {
        return JsonLimits.describe(e);
    }
}

package yingyan.spi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.JsonLimits;

/**
 * How the JSON adapters read what a source sent: a page, an item back from its stored bytes, a message body.
 * Within {@link JsonLimits}; decimals stay {@link java.math.BigDecimal} with the digits the source wrote (no
 * double, no stripped zeros), so a float is seen as exactly what was sent and {@link Payloads#stableJson}
 * changes whenever any written digit changes; anything after the document is an error.
 */
public final class ExactJson {
    private static final ObjectMapper READER = JsonLimits.mapperBuilder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ExactJson() {
    }

    /** Parses one JSON document; empty input or anything after the document is an error. */
    public static JsonNode read(byte[] json) throws IOException {
        JsonNode node = READER.readTree(json);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty body: no JSON document");
        }
        return node;
    }

    /** A page object holding its items in {@code arrayMember}; an item that alone cannot be read comes back refused. */
    public static JsonPages.Page readPage(byte[] json, String arrayMember) throws IOException {
        return JsonPages.read(json, arrayMember, READER);
    }

    /**
     * A JSON item's object for its mapper: the page's own node when the adapter passed it in the item (its stable
     * bytes parse to the same), else its stored bytes read again.
     *
     * @param shape what the item must be, in words, when it is JSON but no object
     * @throws InvalidSourceException when it is not valid JSON or not an object (the value echoed masked)
     */
    public static JsonNode itemObject(SourceItem item, String shape) {
        JsonNode n;
        try {
            n = item.parsed() instanceof JsonNode parsed ? parsed : read(item.raw());
        } catch (IOException e) {
            throw new InvalidSourceException("(item)", null, "not valid JSON: " + MappingProblems.echo(why(e)));
        }
        if (!n.isObject()) {
            throw new InvalidSourceException("(item)", MappingProblems.echo(n.toString()), shape);
        }
        return n;
    }

    /** A parse error in words, without Jackson's location dump (which may quote the payload). */
    public static String why(IOException e) {
        return JsonLimits.describe(e);
    }
}

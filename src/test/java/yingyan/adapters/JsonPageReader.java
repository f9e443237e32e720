package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import yingyan.canonical.JsonLimits;
import yingyan.spi.JsonPages;
import yingyan.spi.Payloads;
import yingyan.spi.SourceItem;
import yingyan.testsupport.GoldenReader;

/**
 * The golden reader of {@code reader=json-page}: {@code input.json} is one page as a REST source answers it,
 * each element of its array one item, read as the SPI reads pages ({@link JsonPages}: an element that alone
 * breaks the JSON limits is handed on refused, as its bytes) with decimals exactly as written. An item is
 * keyed by a member of its own (a non-blank string, else no key) and carried in {@link Payloads#stableJson}
 * form, the serialisation the template's adapters hash. Declared in golden.properties:
 * <pre>
 * reader=json-page
 * json-page.key=caseNo      # the member holding the source's key (required)
 * json-page.items=items     # the page's array member (default items)
 * </pre>
 */
final class JsonPageReader implements GoldenReader {
    static final String KIND = "json-page";
    private static final ObjectMapper EXACT = JsonLimits.mapperBuilder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String adapterId;
    private final String key;
    private final String items;

    JsonPageReader(String adapterId, Properties declared) {
        this.adapterId = adapterId;
        this.key = declared.getProperty("json-page.key", "").trim();
        this.items = declared.getProperty("json-page.items", "items").trim();
        assertThat(key).as("json-page.key in adapters/" + adapterId + "/test/golden.properties").isNotEmpty();
    }

    @Override
    public void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception {
        JsonPages.Page page = JsonPages.read(Files.readAllBytes(caseDir.resolve("input.json")), items, EXACT);
        List<JsonPages.Item> elements = page.items();
        assertThat(elements).as(caseDir + "/input.json must be a page with an array \"" + items + "\"").isNotNull();
        for (int i = 0; i < elements.size(); i++) {
            JsonPages.Item e = elements.get(i);
            String origin = "item " + (i + 1);
            sink.item(e.refused() ? SourceItem.utf8(adapterId, null, e.raw(), origin, fetchedAt)
                    : SourceItem.utf8(adapterId, key(e.node()), Payloads.stableJson(e.node()), origin, fetchedAt));
        }
    }

    private String key(JsonNode item) {
        JsonNode k = item.get(key);
        return k != null && k.isTextual() && !k.textValue().isBlank() ? k.textValue() : null;
    }
}

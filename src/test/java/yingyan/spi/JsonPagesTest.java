package yingyan.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.JsonLimits;
import yingyan.testsupport.BadInputs;

/** A page with one bad item costs that item only; a page that is not a page still fails whole. */
class JsonPagesTest {
    private static final ObjectMapper READER = CanonicalJson.mapper();

    @Test
    void aGoodPageIsReadWhole() throws IOException {
        JsonPages.Page p = JsonPages.read(utf8("{\"total\":2,\"items\":[{\"a\":1},{\"a\":\"x,]}\\\"\"}]}"), "items",
                READER);
        assertThat(p.items()).extracting(i -> i.node().get("a").asText()).containsExactly("1", "x,]}\"");
        assertThat(p.root().get("total").asInt()).isEqualTo(2);
    }

    @Test
    void itemsOverTheLimitsOrNotUtf8AreRefusedOneByOneAndTheirNeighboursRead() throws IOException {
        String deep = BadInputs.nestedObjects(10_000);
        String huge = "{\"a\":\"" + BadInputs.longText(JsonLimits.MAX_STRING_LENGTH + 1) + "\"}";
        byte[] body = BadInputs.bytes("{\"total\":5, \"items\": [ {\"a\":1}, ", deep, " ,", huge, ",{\"a\":\"",
                BadInputs.NOT_UTF8, "\"}, {\"a\":[2,{\"b\":\"]\"}]} ], \"next\":\"c9\"}");

        JsonPages.Page p = JsonPages.read(body, "items", READER);

        assertThat(p.items()).hasSize(5);
        assertThat(p.items().get(0).node().get("a").asInt()).isEqualTo(1);
        assertThat(p.items().get(1).error()).contains("JsonLimits").contains("nesting depth")
                .contains("(" + JsonLimits.MAX_NESTING_DEPTH + ")");
        assertThat(new String(p.items().get(1).raw(), StandardCharsets.UTF_8)).isEqualTo(deep);
        assertThat(p.items().get(2).error()).contains("JsonLimits").contains("String value length")
                .contains("(" + JsonLimits.MAX_STRING_LENGTH + ")");
        assertThat(p.items().get(2).raw()).hasSize(huge.length());
        assertThat(p.items().get(3).error()).containsIgnoringCase("UTF-8");
        assertThat(p.items().get(4).node().get("a").get(1).get("b").asText()).isEqualTo("]");
        assertThat(p.root().get("next").asText()).isEqualTo("c9");
        assertThat(p.root().get("items")).isEmpty();
    }

    @Test
    void aPageThatDoesNotBalanceOrBreaksALimitOutsideItsItemsFailsWhole() {
        assertThatThrownBy(() -> JsonPages.read(utf8("{\"items\":[" + BadInputs.nestedArrays(100) + "}"), "items",
                READER)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonPages.read(utf8("{\"items\":[{\"a\":1}], \"next\":"
                + BadInputs.nestedArrays(100) + "}"), "items", READER))
                .isInstanceOf(IOException.class).satisfies(e -> assertThat(JsonLimits.describe(e)).contains("JsonLimits"));
        assertThatThrownBy(() -> JsonPages.read(utf8("<html>proxy error</html>"), "items", READER))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonPages.read(utf8("{\"items\":[" + BadInputs.nestedArrays(100) + ",]}"), "items",
                READER)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonPages.read(utf8("{\"items\":[" + BadInputs.nestedArrays(100) + "]} {}"), "items",
                READER)).isInstanceOf(IOException.class);
    }

    @Test
    void theSameLimitsHoldForEveryHubReader() {
        for (ObjectMapper m : new ObjectMapper[]{CanonicalJson.mapper(), JsonLimits.mapper()}) {
            assertThat(m.getFactory().streamReadConstraints().getMaxNestingDepth())
                    .isEqualTo(JsonLimits.MAX_NESTING_DEPTH);
            assertThat(m.getFactory().streamReadConstraints().getMaxStringLength())
                    .isEqualTo(JsonLimits.MAX_STRING_LENGTH);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

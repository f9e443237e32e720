package yingyan.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stable serialisation is what every stored payload hash was computed over: written straight from the
 * tree, it must stay byte for byte what writing the tree as key-sorted maps gives (the form it had when those
 * hashes were stored), or a re-read of an unchanged item would count as a conflicting new version.
 */
class PayloadsTest {
    /** The original definition: the tree as plain maps and lists (decimals as BigDecimal), written keys sorted. */
    private static final ObjectMapper AS_MAPS = yingyan.canonical.JsonLimits.mapperBuilder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    @Test
    void randomTreesSerialiseExactlyAsSortedMapsDo() throws IOException {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            JsonNode tree = object(random, 0);
            assertThat(new String(Payloads.stableJson(tree), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(original(tree), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyJsonTestInputSerialisesExactlyAsBefore() throws IOException {
        ObjectMapper reader = yingyan.canonical.JsonLimits.mapperBuilder()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("test-data"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            JsonNode tree;
            try {
                tree = reader.readTree(Files.readAllBytes(f));
            } catch (IOException deliberatelyBroken) {
                continue;
            }
            if (tree != null) {
                assertThat(Payloads.stableJson(tree)).as(f.toString()).isEqualTo(original(tree));
            }
        }
    }

    private static byte[] original(JsonNode node) throws IOException {
        return AS_MAPS.writeValueAsBytes(AS_MAPS.treeToValue(node, Object.class));
    }

    private static ObjectNode object(Random r, int depth) {
        ObjectNode o = NODES.objectNode();
        int n = r.nextInt(depth == 0 ? 12 : 5);
        for (int i = 0; i < n; i++) {
            o.set(key(r), value(r, depth + 1));
        }
        return o;
    }

    private static JsonNode value(Random r, int depth) {
        return switch (r.nextInt(depth > 3 ? 10 : 12)) {
            case 0 -> NODES.textNode(text(r));
            case 1 -> NODES.numberNode(r.nextInt());
            case 2 -> NODES.numberNode(r.nextLong());
            case 3 -> NODES.numberNode(new BigInteger(100, r));
            case 4 -> NODES.numberNode(new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(20) - 5));
            case 5 -> NODES.numberNode(new BigDecimal("120.00"));
            case 6 -> NODES.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(30) - 10));
            case 7 -> NODES.numberNode((float) r.nextGaussian());
            case 8 -> NODES.booleanNode(r.nextBoolean());
            case 9 -> NODES.nullNode();
            case 10 -> object(r, depth);
            default -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth + 1));
                }
                yield a;
            }
        };
    }

    private static String key(Random r) {
        String[] keys = {"caseNo", "updatedAt", "a", "B", "b", "_x", "名称", "Ä", "z1", "z10", "z2", "", "key with space"};
        return r.nextInt(4) == 0 ? text(r) : keys[r.nextInt(keys.length)];
    }

    private static String text(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            b.appendCodePoint(switch (r.nextInt(6)) {
                case 0 -> 'a' + r.nextInt(26);
                case 1 -> 0x4e00 + r.nextInt(0x5000);
                case 2 -> r.nextInt(0x20);
                case 3 -> "\"\\/".charAt(r.nextInt(3));
                case 4 -> 0x1F600 + r.nextInt(50);
                default -> 0x80 + r.nextInt(0x700);
            });
        }
        return b.toString();
    }
}

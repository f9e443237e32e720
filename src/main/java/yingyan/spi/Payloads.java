package yingyan.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Payload hashing and the stable JSON serialisation adapters document for their hashes. */
public final class Payloads {
    private static final ObjectMapper SORTED = yingyan.canonical.JsonLimits.mapperBuilder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Payloads() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compact UTF-8 JSON with object keys sorted at every level: the same content always gives the
     * same bytes, whatever order or whitespace the source used.
     */
    public static byte[] stableJson(JsonNode node) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
        try (com.fasterxml.jackson.core.JsonGenerator gen = SORTED.getFactory().createGenerator(out)) {
            writeSorted(gen, node);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot serialise source item", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the tree straight from its nodes, keys in their natural (String) order at every level: byte for
     * byte what writing it as sorted maps gives (the form every stored payload hash was computed over; held to
     * it by PayloadsTest), without building the maps first.
     */
    private static void writeSorted(com.fasterxml.jackson.core.JsonGenerator gen, JsonNode node)
            throws java.io.IOException {
        if (node.isObject()) {
            java.util.List<String> names = new java.util.ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            gen.writeStartObject();
            for (String name : names) {
                gen.writeFieldName(name);
                writeSorted(gen, node.get(name));
            }
            gen.writeEndObject();
        } else if (node.isArray()) {
            gen.writeStartArray();
            for (JsonNode element : node) {
                writeSorted(gen, element);
            }
            gen.writeEndArray();
        } else if (node.isFloatingPointNumber()) {
            gen.writeNumber(node.decimalValue()); // as a sorted map holds it (decimals as BigDecimal)
        } else {
            SORTED.writeTree(gen, node);
        }
    }
}

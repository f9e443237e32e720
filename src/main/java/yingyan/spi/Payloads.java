package yingyan.spi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import yingyan.canonical.JsonLimits;

/** Payload hashing and the stable JSON serialisation adapters document for their hashes. */
public final class Payloads {
    private static final ObjectMapper SORTED = JsonLimits.mapperBuilder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator gen = SORTED.getFactory().createGenerator(out)) {
            writeSorted(gen, node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise source item", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the tree straight from its nodes, keys in their natural (String) order at every level: byte for
     * byte what writing it as sorted maps gives (the form every stored payload hash was computed over; held to
     * it by PayloadsTest), without building the maps first.
     */
    private static void writeSorted(JsonGenerator gen, JsonNode node)
            throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
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

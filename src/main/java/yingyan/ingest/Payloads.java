package yingyan.ingest;

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
        try {
            Object tree = SORTED.treeToValue(node, Object.class);
            return SORTED.writeValueAsBytes(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise source item", e);
        }
    }
}

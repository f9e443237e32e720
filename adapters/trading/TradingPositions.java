package yingyan.adapters.trading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.JsonLimits;

/**
 * The adapter's one stored position: one watermark per change stream (type), as JSON
 * {@code {"BIDDING": "2026-03-24T17:00:05+08:00", "MINING": ..., "PROPERTY": ...}}; a type not read yet is absent.
 */
final class TradingPositions {
    static final List<String> TYPES = List.of("BIDDING", "MINING", "PROPERTY");
    private static final ObjectMapper JSON = JsonLimits.mapper();

    private final Map<String, OffsetDateTime> byType = new LinkedHashMap<>();

    static TradingPositions parse(String stored) {
        TradingPositions p = new TradingPositions();
        if (stored == null || stored.isBlank()) {
            return p;
        }
        try {
            JsonNode n = JSON.readTree(stored);
            for (String type : TYPES) {
                if (n.hasNonNull(type)) {
                    p.byType.put(type, OffsetDateTime.parse(n.get(type).asText()));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the stored trading position is not {type: ISO time, ...}: " + stored, e);
        }
        return p;
    }

    OffsetDateTime get(String type) {
        return byType.get(type);
    }

    void put(String type, OffsetDateTime at) {
        byType.put(type, at.withOffsetSameInstant(CanonicalTime.BEIJING));
    }

    /** The earliest of the three, for a backfill's progress; null while a type has none. */
    OffsetDateTime earliest() {
        if (byType.size() < TYPES.size()) {
            return null;
        }
        return byType.values().stream().min(OffsetDateTime.timeLineOrder()).orElse(null);
    }

    boolean isEmpty() {
        return byType.isEmpty();
    }

    String format() {
        ObjectNode n = JSON.createObjectNode();
        for (String type : TYPES) {
            if (byType.containsKey(type)) {
                n.put(type, CanonicalTime.format(byType.get(type)));
            }
        }
        return n.toString();
    }
}

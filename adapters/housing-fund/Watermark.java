package yingyan.adapters.housingfund;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import yingyan.adapters.housingfund.SourceDatabase.Keyset;
import yingyan.canonical.JsonLimits;
import yingyan.spi.Payloads;

/**
 * The adapter's position in both tables, kept in the Watermarks as one JSON string:
 * <pre>{"GJJ_DK":{...},"GJJ_TQ":{"cursor":{"gxsj":"2026-03-01 10:00:00","key":"TQ1"}|null,
 *  "last":{"gxsj":...,"key":...}|null,"passStartedAt":"2026-03-01 10:05:00"|null,
 *  "settled":"2026-03-01 10:03:30"|null},"v":1}</pre>
 * See README "Incremental reading" for what each part means.
 */
final class Watermark {
    private static final ObjectMapper JSON = JsonLimits.mapper();

    private final Map<SourceTable, TableState> tables = new EnumMap<>(SourceTable.class);

    /**
     * One table's position.
     *
     * @param settled every row whose GXSJ is earlier than this has been read (null: nothing yet); the
     *        next pass starts here
     * @param passStartedAt the centre's database clock (Beijing) when the pass in progress started, null between
     *        passes
     * @param cursor the last row of the pass in progress that is durably queued; it resumes after this
     * @param last the last row durably queued at all (for people; the reading does not depend on it)
     */
    record TableState(String settled, String passStartedAt, Keyset cursor, Keyset last) {
        static final TableState EMPTY = new TableState(null, null, null, null);

        boolean inPass() {
            return passStartedAt != null;
        }
    }

    TableState get(SourceTable t) {
        return tables.getOrDefault(t, TableState.EMPTY);
    }

    void put(SourceTable t, TableState s) {
        tables.put(t, s);
    }

    static Watermark parse(String text) {
        Watermark w = new Watermark();
        if (text == null || text.isBlank()) {
            return w;
        }
        try {
            JsonNode root = JSON.readTree(text);
            for (SourceTable t : SourceTable.values()) {
                JsonNode n = root.path(t.name());
                if (n.isObject()) {
                    w.tables.put(t, new TableState(str(n, "settled"), str(n, "passStartedAt"), keyset(n.get("cursor")),
                            keyset(n.get("last"))));
                }
            }
            return w;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the housing-fund watermark is unreadable (" + e.getMessage()
                    + "); reset it to read the tables from hub.adapters.housing-fund.start-from again", e);
        }
    }

    String format() {
        ObjectNode root = JSON.createObjectNode();
        root.put("v", 1);
        tables.forEach((t, s) -> {
            ObjectNode n = root.putObject(t.name());
            n.put("settled", s.settled());
            n.put("passStartedAt", s.passStartedAt());
            putKeyset(n, "cursor", s.cursor());
            putKeyset(n, "last", s.last());
        });
        return new String(Payloads.stableJson(root), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return format();
    }

    private static void putKeyset(ObjectNode n, String name, Keyset k) {
        if (k == null) {
            n.putNull(name);
        } else {
            n.putObject(name).put("gxsj", k.gxsj()).put("key", k.key());
        }
    }

    private static Keyset keyset(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String gxsj = str(n, "gxsj");
        String key = str(n, "key");
        if (gxsj == null || key == null) {
            throw new IllegalArgumentException("a position needs gxsj and key: " + n);
        }
        return new Keyset(gxsj, key);
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

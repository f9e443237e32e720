package yingyan.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One page of a listing paged by cursor (the audit log, quarantine, current records): the rows were fetched one
 * longer than the limit, so whether there is more is known without counting.
 *
 * @param items the rows to show, at most the limit
 * @param next  the cursor of the next page, or null on the last
 */
public record ListPage<T>(List<T> items, String next) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** The page size a client asked for: {@value #DEFAULT_LIMIT} when it did not say, else 1 to {@value #MAX_LIMIT}. */
    public static int limit(Integer requested) {
        return QueryParams.count("limit", requested, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** The page in {@code rows} (fetched {@code limit + 1} long); the next cursor is the last shown row's position. */
    public static <T> ListPage<T> of(List<T> rows, int limit, ToLongFunction<T> position) {
        if (rows.size() <= limit) {
            return new ListPage<>(rows, null);
        }
        List<T> page = rows.subList(0, limit);
        return new ListPage<>(page, Cursors.encode(position.applyAsLong(page.get(limit - 1))));
    }

    /**
     * The JSON answer {@code {"items":[…],"next":…}} around items already written as JSON (stored bodies are served
     * as they are, not parsed and written again); {@code next} null is written as {@code null}.
     */
    public static <T> String json(List<T> items, Function<T, String> itemJson, String next) {
        StringBuilder out = new StringBuilder("{\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ",").append(itemJson.apply(items.get(i)));
        }
        return out.append("],\"next\":").append(next == null ? "null" : "\"" + next + "\"").append('}').toString();
    }

    /**
     * The JSON answer {@code {"items":[…],"next":…}} of a listing (hub-api.md's shape for every list) around items
     * Jackson writes; {@code next} null on the last or only page.
     */
    public static Map<String, Object> answer(List<?> items, String next) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("next", next);
        return out;
    }

    public boolean more() {
        return next != null;
    }
}

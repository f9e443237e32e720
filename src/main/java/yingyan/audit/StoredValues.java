package yingyan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import yingyan.canonical.JsonLimits;

/** How two stored copies of a value are compared: hashes without CHAR(n) padding, JSON bodies path by path. */
final class StoredValues {
    private static final ObjectMapper JSON = JsonLimits.mapper();

    private StoredValues() {
    }

    /** JSON paths at which two documents differ (at most 5), e.g. {@code $.amounts[0].value}. */
    static List<String> jsonDifferences(String a, String b) {
        List<String> out = new ArrayList<>();
        try {
            diff("$", JSON.readTree(a), JSON.readTree(b), out);
        } catch (IOException e) {
            out.add("$ (not JSON)");
        }
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (out.size() >= 5 || Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diff(path + "." + n, a.get(n), b.get(n), out);
            }
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int k = 0; k < a.size(); k++) {
                diff(path + "[" + k + "]", a.get(k), b.get(k), out);
            }
        } else {
            out.add(path);
        }
    }

    /** CHAR(n) columns come back padded on some databases. */
    static String trim(String s) {
        return s == null ? null : s.trim();
    }
}

package yingyan.canonical;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The GB/T 2260 region codes the hub knows (docs/contracts/reference-codes.md); any other code is a validation
 * error.
 */
public final class RegionCodes {
    public static final String CITY = "370700";

    private static final Map<String, String> NAMES;

    static {
        Map<String, String> m = new TreeMap<>();
        m.put("370700", "潍坊市");
        m.put("370702", "潍城区");
        m.put("370703", "寒亭区");
        m.put("370704", "坊子区");
        m.put("370705", "奎文区");
        m.put("370724", "临朐县");
        m.put("370725", "昌乐县");
        m.put("370781", "青州市");
        m.put("370782", "诸城市");
        m.put("370783", "寿光市");
        m.put("370784", "安丘市");
        m.put("370785", "高密市");
        m.put("370786", "昌邑市");
        m.put("370000", "山东省");
        NAMES = Map.copyOf(m);
    }

    private RegionCodes() {
    }

    public static boolean isKnown(String code) {
        return code != null && NAMES.containsKey(code);
    }

    public static String name(String code) {
        return NAMES.get(code);
    }

    public static Set<String> all() {
        return new TreeSet<>(NAMES.keySet());
    }
}

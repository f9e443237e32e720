package yingyan.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A source's code table (its words to ours), in the order written: a reason lists the accepted words in it. */
public final class CodeTable {
    private CodeTable() {
    }

    /** An unmodifiable map of the pairs {@code word1, value1, word2, value2, ...}, in that order. */
    @SuppressWarnings("unchecked")
    public static <V> Map<String, V> of(Object... pairs) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (V) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}

package yingyan.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import yingyan.YingyanHub;

/**
 * Starts a whole hub in this JVM under the test profile, for tests that stop and start it (restart,
 * broker loss) and so must control when it closes.
 */
public final class Hubs {
    private Hubs() {
    }

    public static ConfigurableApplicationContext start(Map<String, Object> properties, Class<?>... extra) {
        return start("test", properties, extra);
    }

    /** As {@link #start(Map, Class[])} under another profile, e.g. {@code prod} as production runs it. */
    public static ConfigurableApplicationContext start(String profile, Map<String, Object> properties,
                                                       Class<?>... extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.putAll(properties);
        Class<?>[] sources = new Class<?>[extra.length + 1];
        sources[0] = YingyanHub.class;
        System.arraycopy(extra, 0, sources, 1, extra.length);
        // As command-line arguments: they take precedence over conf/ (default properties would not).
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(sources).profiles(profile).run(args);
    }
}

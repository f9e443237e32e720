package yingyan.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A whole hub as the quick start runs it (H2 file database, persistent embedded broker) over drop folders
 * that already hold big exports, meant to run in a child JVM with a small heap ({@code -Xmx256m
 * -XX:+ExitOnOutOfMemoryError}): it waits until every file is processed and the expected records are
 * stored, prints what it found as {@code RESULT}/{@code QUARANTINE}/{@code FILE} lines and exits 0; it
 * exits 2 when the deadline passes first (an OutOfMemoryError exits 3).
 *
 * <p>Arguments: {@code --dir=} work folder, {@code --land-drop=} and {@code --procurement-drop=} drop folders,
 * {@code --files=} how many files to wait for, {@code --records=} how many records, {@code --deadline=}
 * seconds.
 */
public final class BigFileHub {
    private BigFileHub() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            a.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        Path dir = Path.of(a.get("dir")).toAbsolutePath();
        long files = Long.parseLong(a.get("files"));
        long records = Long.parseLong(a.get("records"));
        Duration deadline = Duration.ofSeconds(Long.parseLong(a.getOrDefault("deadline", "240")));
        Map<String, Object> p = new HashMap<>();
        p.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db").resolve("yingyan")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        p.put("spring.artemis.embedded.persistent", "true");
        p.put("spring.artemis.embedded.data-directory", dir.resolve("artemis"));
        p.put("logging.level.yingyan", "WARN");
        if (a.containsKey("land-drop")) {
            p.put("hub.adapters.land-transfer.enabled", "true");
            p.put("hub.adapters.land-transfer.drop-dir", a.get("land-drop"));
            p.put("hub.adapters.land-transfer.poll-interval", "200ms");
        }
        if (a.containsKey("procurement-drop")) {
            p.put("hub.adapters.procurement.enabled", "true");
            p.put("hub.adapters.procurement.drop-dir", a.get("procurement-drop"));
            p.put("hub.adapters.procurement.poll-interval", "200ms");
        }
        int exit = 0;
        try (ConfigurableApplicationContext hub = Hubs.start(p)) {
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            long started = System.nanoTime();
            try {
                org.awaitility.Awaitility.await().atMost(deadline).pollInterval(Duration.ofMillis(500))
                        .until(() -> count(jdbc, "SELECT COUNT(*) FROM processed_file") >= files
                                && count(jdbc, "SELECT COUNT(*) FROM record") >= records);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.println("DEADLINE " + e.getMessage());
                exit = 2;
            }
            System.out.println("SECONDS " + (System.nanoTime() - started) / 1_000_000_000);
            System.out.println("RESULT records=" + count(jdbc, "SELECT COUNT(*) FROM record") + " quarantined="
                    + count(jdbc, "SELECT COUNT(*) FROM quarantine") + " files="
                    + count(jdbc, "SELECT COUNT(*) FROM processed_file") + " maxHeapMb="
                    + (Runtime.getRuntime().maxMemory() >> 20));
            jdbc.query("SELECT adapter, origin, source_key, field, reason FROM quarantine ORDER BY id", rs -> {
                System.out.println("QUARANTINE " + rs.getString(1) + " | " + rs.getString(2) + " | "
                        + rs.getString(3) + " | " + rs.getString(4) + " | " + rs.getString(5).replace('\n', ' '));
            });
            jdbc.query("SELECT file_name, queued FROM processed_file ORDER BY file_name", rs -> {
                System.out.println("FILE " + rs.getString(1) + " | " + rs.getLong(2));
            });
        }
        System.exit(exit);
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}

package yingyan.adapters.landtransfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.canonical.CanonicalTime;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;
import yingyan.testsupport.Hubs;

/**
 * The hub stops while it is halfway through a big export, and a new hub starts on the same municipal
 * database (H2 file), the same persistent broker journal and the same drop folder: the file is read
 * again from the start, every parcel ends up exactly once at its newest version with no version
 * applied twice, the bad Transfer stays one quarantine entry, and the file is marked processed once.
 */
class LandTransferRestartTest {
    static final String FILE = "CRGG_20260320_001.xml";

    @TempDir
    Path dir;

    @Test
    void aHubStoppedHalfwayThroughAFileReadsItAgainAndEveryParcelEndsUpOnceAtItsNewestVersion() throws IOException {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        ExportGenerator gen = new ExportGenerator(20_000, 10, 1_000, 7L);
        gen.write(drop.resolve(FILE));
        Files.createFile(drop.resolve(FILE + ".ok"));

        try (ConfigurableApplicationContext first = start(drop)) {
            AdapterMonitor.AdapterState state = first.getBean(AdapterMonitor.class).state("land-transfer");
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(120)).until(() -> state.queuedTotal() >= 3_000
                    && count(jdbc, "SELECT COUNT(*) FROM record") >= 500);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM processed_file"))
                    .as("the file must still be in progress when the hub stops (make it bigger otherwise)").isZero();
        }
        assertThat(drop.resolve(FILE)).as("left in the drop folder").exists();
        assertThat(drop.resolve(FILE + ".ok")).exists();
        assertThat(drop.resolve("done").resolve(FILE)).doesNotExist();

        try (ConfigurableApplicationContext second = start(drop)) {
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(300)).until(() -> Files.exists(drop.resolve("done").resolve(FILE)));
            await().atMost(Duration.ofSeconds(300)).until(() ->
                    count(jdbc, "SELECT COUNT(*) FROM record WHERE adapter = 'land-transfer'") == gen.goodParcels()
                            && count(jdbc, "SELECT COUNT(*) FROM record_version") == expectedVersions(gen));

            Map<String, OffsetDateTime> newest = new HashMap<>();
            jdbc.query("SELECT source_key, updated_at FROM record WHERE adapter = 'land-transfer'",
                    rs -> {
                        newest.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class));
                    });
            for (int i = 0; i < gen.parcels; i++) {
                String key = ExportGenerator.parcelNo(i);
                if (gen.versions(i) == 0) {
                    assertThat(newest).doesNotContainKey(key);
                } else {
                    assertThat(newest.get(key)).as(key).isNotNull();
                    assertThat(newest.get(key).toInstant()).as(key)
                            .isEqualTo(gen.newestUpdatedAt(i).atOffset(CanonicalTime.BEIJING).toInstant());
                }
            }
            List<Map<String, Object>> perRecord = jdbc.queryForList("SELECT record_id, COUNT(*) AS n FROM record_version"
                    + " GROUP BY record_id HAVING COUNT(*) > 2");
            assertThat(perRecord).as("no record with a version applied twice").isEmpty();
            assertThat(count(jdbc, "SELECT COUNT(*) FROM processed_file WHERE file_name = '" + FILE + "'")).isEqualTo(1);

            List<QuarantineEntry> bad = second.getBean(QuarantineStore.class).list("land-transfer", "OPEN", null, 100);
            assertThat(bad).extracting(QuarantineEntry::sourceKey).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, 20).mapToObj(i -> ExportGenerator.parcelNo(i * 1000 + 999))
                            .toList());
            // GEN-0000999 lies before the point where the first hub stopped: read twice, still one entry.
            assertThat(bad).filteredOn(e -> e.sourceKey().equals("GEN-0000999")).singleElement()
                    .satisfies(e -> assertThat(e.occurrences()).as("read before and after the restart").isEqualTo(2));
        }
    }

    private ConfigurableApplicationContext start(Path drop) {
        String db = "jdbc:h2:file:" + dir.resolve("db").resolve("yingyan").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        return Hubs.start(Map.of(
                "spring.datasource.url", db,
                "spring.artemis.embedded.persistent", "true",
                "spring.artemis.embedded.data-directory", dir.resolve("artemis").toAbsolutePath(),
                "hub.adapters.land-transfer.enabled", "true",
                "hub.adapters.land-transfer.drop-dir", drop.toAbsolutePath(),
                "hub.adapters.land-transfer.poll-interval", "200ms",
                "hub.adapters.land-transfer.chunk-size", "200"));
    }

    private static long expectedVersions(ExportGenerator gen) {
        long n = 0;
        for (int i = 0; i < gen.parcels; i++) {
            n += gen.versions(i);
        }
        return n;
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}

package yingyan.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;

/**
 * V18 fills {@code record.department_code} of the records stored before it from their canonical JSON (H2 here;
 * {@code RecordDepartmentMigrationPostgresIT} runs the PostgreSQL twin), so a department grant sees old records too.
 */
class RecordDepartmentMigrationTest {

    @Test
    void recordsStoredBeforeV18GetTheirDepartmentCode_onH2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:v18-" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        backfills(ds, "h2");
    }

    /** Migrates to V16 (the last before V18), stores two records the old way, migrates on, and reads the column. */
    static void backfills(DataSource ds, String vendor) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                .target("16").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        insertOld(jdbc, record("V18-1", "SGZRZY"));
        insertOld(jdbc, record("V18-2", "SG_ZRZY-2"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                .load().migrate();
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT record_id, department_code FROM record ORDER BY"
                + " record_id");
        assertThat(rows).extracting(r -> r.get("department_code")).containsExactly("SGZRZY", "SG_ZRZY-2");
    }

    private static void insertOld(JdbcTemplate jdbc, CanonicalRecord r) {
        jdbc.update("INSERT INTO record (record_id, domain, region_code, adapter, source_key, updated_at,"
                        + " payload_sha256, version_seq, applied_at, body) VALUES (?,?,?,?,?,?,?,?,?,?)",
                r.recordId(), r.domain().name(), r.regionCode(), r.source().system(), r.source().key(),
                r.source().updatedAt(), r.source().payloadSha256(), 1L, OffsetDateTime.now(), CanonicalJson.write(r));
    }

    private static CanonicalRecord record(String key, String department) {
        OffsetDateTime t = OffsetDateTime.parse("2026-03-02T10:00:00+08:00");
        return CanonicalRecord.builder().domain(Domain.APPROVAL).regionCode("370783")
                .department(new Department(department, "寿光市自然资源局", false))
                .matter(new Matter("M-1", "测试事项")).party(Party.org("某公司", "91350100M000100Y43"))
                .source(new SourceLineage("approvals", key, t, t.plusSeconds(5), "a".repeat(64)))
                .step(Step.RECEIVED, t, null).status(Status.OPEN).build();
    }
}

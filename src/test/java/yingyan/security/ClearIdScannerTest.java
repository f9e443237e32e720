package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The scanner of the ID leak tests can fail: planted clear numbers are found, masked ones are not. */
class ClearIdScannerTest {

    @Test
    void aPlantedIdIsFoundInTextAndReportedMasked() {
        ClearIdScanner s = new ClearIdScanner()
                .text("log", "INFO mapped case SG-1 for 440524188001010014 (王五)")
                .text("feed", "{\"idMasked\":\"440524********0014\",\"payloadSha256\":\"" + "ab".repeat(32) + "\"}")
                .text("lower-case x", "certNo=11010519491231002x;")
                .text("wrong check character", "440524188001010015")
                .text("spaced", "certNo 110105 19491231 002X")
                .text("dashed", "actor 窗口-370785-19880808-0069")
                .text("full-width", "姓名 赵强３７０７８５１９８８０８０８００６９")
                .text("legacy", "旧证 370702850315001")
                .text("no check character", "补录 11010519491231002")
                .text("hash", "53e508df9478806906095050f5b2be59fc185e8da8dc5b9441b7172d126c6354");
        assertThat(s.leaks()).extracting(ClearIdScanner.Leak::toString)
                .containsExactly("log: 440524********0014", "lower-case x: 110105********002x",
                        "spaced: 110105********002X", "dashed: 370785********0069", "full-width: 370785********0069",
                        "legacy: 370702*****5001", "no check character: 110105*******1002");
    }

    @Test
    void aPlantedIdIsFoundInAnyTableAndAnyColumnTextOrBinary() throws Exception {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:scanner-" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(db);
        jdbc.execute("CREATE TABLE clean (id INT, note VARCHAR(100))");
        jdbc.execute("CREATE TABLE dirty (id INT, body BYTEA, note CLOB)");
        jdbc.update("INSERT INTO clean VALUES (1, '370785********0069')");
        jdbc.update("INSERT INTO dirty VALUES (1, ?, 'x')", "{\"id\":\"370785198808080069\"}".getBytes(StandardCharsets.UTF_8));
        jdbc.update("INSERT INTO dirty VALUES (2, NULL, '备注 370702198503150010')");

        ClearIdScanner s = new ClearIdScanner().database(db);
        assertThat(s.tables()).isEqualTo(2);
        assertThat(s.leaks()).extracting(ClearIdScanner.Leak::toString).containsExactlyInAnyOrder(
                "table dirty column body row 1: 370785********0069",
                "table dirty column note row 2: 370702********0010");
    }

    @Test
    void aPlantedIdIsFoundInAFileAndOnlyAfterTheOffsetWhenOneIsGiven(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("suite.log");
        String before = "2026-03-12 INFO earlier test logged 370702198503150010\n";
        Files.writeString(log, before + "2026-03-12 INFO this test: nothing\n2026-03-12 WARN 11010519491231002X\n");
        assertThat(new ClearIdScanner().file(log).leaks()).hasSize(2);
        assertThat(new ClearIdScanner().file(log, before.getBytes(StandardCharsets.UTF_8).length).leaks())
                .singleElement().satisfies(l -> assertThat(l.toString()).endsWith("line 2: 110105********002X"));
    }
}

package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import yingyan.adapters.housingfund.SourceDatabase.Keyset;
import yingyan.adapters.housingfund.SourceDatabase.Row;
import yingyan.testsupport.GoldenReader;

/**
 * The golden cases' input.sql holds INSERTs into the spec's GJJ_TQ / GJJ_DK tables (the rows as the centre
 * has them, one statement per row, {@code --} comments allowed). They are loaded into a fresh H2 database in
 * MariaDB mode and read back table by table through the adapter's own keyset reader
 * ({@link SourceDatabase#chunk}) in chunks of 2, so paging through shared seconds is exercised; every row
 * must be read exactly once.
 */
class HousingFundGoldenReader implements GoldenReader {
    private static final int CHUNK = 2;

    @Override
    public void read(Path caseDir, OffsetDateTime fetchedAt, Sink sink) throws Exception {
        try (Connection c = HousingFundFixtures.open(HousingFundFixtures.freshH2Url())) {
            HousingFundFixtures.createTables(c);
            HousingFundFixtures.runScript(c, caseDir.resolve("input.sql"));
            for (SourceTable t : SourceTable.values()) {
                List<Row> rows = readAll(c, t);
                assertThat(rows).as("every " + t + " row read exactly once").hasSize(count(c, t));
                rows.forEach(row -> sink.item(SourceDatabase.item(row, fetchedAt)));
            }
        }
    }

    private static List<Row> readAll(Connection c, SourceTable t) throws Exception {
        List<Row> all = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Keyset after = null;
        while (true) {
            List<Row> chunk = SourceDatabase.chunk(c, t, after, CHUNK, 10);
            for (Row r : chunk) {
                assertThat(keys.add(r.key())).as(r.key() + " read twice").isTrue();
            }
            all.addAll(chunk);
            if (chunk.size() < CHUNK) {
                return all;
            }
            after = chunk.get(chunk.size() - 1).position();
        }
    }

    private static int count(Connection c, SourceTable t) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t.name())) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

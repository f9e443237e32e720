package yingyan.adapters.housingfund;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tables the adapter's tests and the quick start build ({@code SourceDatabase.SPEC_DDL}) are the centre's
 * tables as the contract gives them (schemas/sources/housing-fund/tables.sql): same columns, in the same
 * order, with the same types, sizes, nullability and primary keys. A drift would let the golden tests pass
 * against tables the centre does not have.
 */
class HousingFundContractTablesTest {
    static final Path CONTRACT = Path.of("schemas/sources/housing-fund/tables.sql");

    @Test
    void theAdaptersTablesAreTheContractsTables() throws SQLException {
        List<String> contract;
        List<String> adapter;
        try (Connection c = HousingFundFixtures.open(HousingFundFixtures.freshH2Url())) {
            HousingFundFixtures.runScript(c, CONTRACT);
            contract = columns(c);
        }
        try (Connection c = HousingFundFixtures.open(HousingFundFixtures.freshH2Url())) {
            HousingFundFixtures.createTables(c);
            adapter = columns(c);
        }

        assertThat(contract).hasSize(24);
        assertThat(adapter).containsExactlyElementsOf(contract);
    }

    /** One line per column: table, position, name, type, size, scale, nullability, primary-key membership. */
    private static List<String> columns(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT c.TABLE_NAME, c.ORDINAL_POSITION, c.COLUMN_NAME, c.DATA_TYPE, c.CHARACTER_MAXIMUM_LENGTH,
                       c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.IS_NULLABLE,
                       (SELECT COUNT(*) FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE k
                         JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS t ON t.CONSTRAINT_NAME = k.CONSTRAINT_NAME
                          AND t.TABLE_SCHEMA = k.TABLE_SCHEMA
                        WHERE t.CONSTRAINT_TYPE = 'PRIMARY KEY' AND k.TABLE_NAME = c.TABLE_NAME
                          AND k.COLUMN_NAME = c.COLUMN_NAME) AS PK
                  FROM INFORMATION_SCHEMA.COLUMNS c
                 WHERE c.TABLE_SCHEMA = 'PUBLIC'
                 ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION""")) {
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= 9; i++) {
                    cells.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join(" ", cells));
            }
        }
        return out;
    }
}

package yingyan.adapters.housingfund;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import yingyan.canonical.ResidentIdProtector;
import yingyan.config.HubProperties;
import yingyan.ingest.MapperRegistry;
import yingyan.ingest.Normaliser;

/** Stand-ins for the fund centre's database and the hub's mapping step, for tests that need nothing running. */
final class HousingFundFixtures {
    static final Path CASES = Path.of("test-data", HousingFundMapper.ADAPTER_ID);
    /** The test profile's key (application-test.yaml), so expected idHash values match the full-context tests. */
    static final String HMAC_KEY = "test-hmac-key-0123456789abcdef";

    private HousingFundFixtures() {
    }

    /** A fresh H2 in-memory database in MariaDB mode holding the spec's two tables. */
    static String freshH2Url() {
        return "jdbc:h2:mem:gjj-" + UUID.randomUUID() + ";MODE=MariaDB;DB_CLOSE_DELAY=-1";
    }

    static void createTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : SourceDatabase.SPEC_DDL) {
                s.execute(ddl);
            }
        }
    }

    static Connection open(String url) throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    static void runScript(Connection c, Path script) {
        ScriptUtils.executeSqlScript(c, new EncodedResource(new FileSystemResource(script), StandardCharsets.UTF_8));
    }

    /** The hub's own map-and-validate step with only this adapter's mapper registered. */
    static Normaliser normaliser() {
        HubProperties hub = new HubProperties("370700", null, new HubProperties.PersonalData(HMAC_KEY), null, null,
                null);
        return new Normaliser(new MapperRegistry(java.util.List.of(new HousingFundMapper())), null, hub);
    }

    static ResidentIdProtector protector() {
        return new ResidentIdProtector(HMAC_KEY);
    }
}

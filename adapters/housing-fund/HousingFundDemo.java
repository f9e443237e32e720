package yingyan.adapters.housingfund;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;

/**
 * The quick start's stand-in for the fund centre: an H2 in-memory database in MariaDB mode with the
 * spec's two tables, filled from every {@code test-data/housing-fund/<case>/input.sql}. The adapter
 * reads it through its usual JDBC path ({@code hub.adapters.housing-fund.jdbc-url} points at it in
 * conf/application-demo.yaml). Nothing is written to disk.
 */
@Component
@ConditionalOnProperty(name = {"hub.demo.enabled", "hub.adapters.housing-fund.enabled"}, havingValue = "true")
class HousingFundDemo {
    private static final Logger log = LoggerFactory.getLogger(HousingFundDemo.class);

    private final HousingFundProperties props;
    private final Path cases;
    private Connection keepAlive;

    HousingFundDemo(HousingFundProperties props, Environment env) {
        this.props = props;
        // hub.demo is the lead's shared section; only its data folder is read here.
        this.cases = Path.of(env.getProperty("hub.demo.data-dir", "test-data"), HousingFundMapper.ADAPTER_ID);
    }

    @PostConstruct
    void fill() throws SQLException, IOException {
        if (!props.jdbcUrl().startsWith("jdbc:h2:mem:")) {
            log.warn("demo: hub.adapters.housing-fund.jdbc-url is not an H2 in-memory database ({}); no demo rows loaded",
                    SourceDatabase.describe(props.jdbcUrl()));
            return;
        }
        // Held open for the life of the hub: an in-memory database lives as long as a connection to it.
        keepAlive = DriverManager.getConnection(props.jdbcUrl(), props.username(), props.password());
        if (tableExists()) {
            return;
        }
        try (Statement s = keepAlive.createStatement()) {
            for (String ddl : SourceDatabase.SPEC_DDL) {
                s.execute(ddl);
            }
        }
        int loaded = 0;
        for (Path input : inputs()) {
            try {
                ScriptUtils.executeSqlScript(keepAlive, new EncodedResource(new FileSystemResource(input),
                        StandardCharsets.UTF_8));
                loaded++;
            } catch (RuntimeException e) {
                log.warn("demo: {} not loaded: {}", input, e.getMessage());
            }
        }
        log.info("demo: housing-fund database {} holds {} withdrawals and {} loans from {} case(s) in {}",
                SourceDatabase.describe(props.jdbcUrl()), count("GJJ_TQ"), count("GJJ_DK"), loaded, cases);
    }

    @PreDestroy
    void close() throws SQLException {
        if (keepAlive != null) {
            keepAlive.close();
        }
    }

    private List<Path> inputs() throws IOException {
        if (!Files.isDirectory(cases)) {
            log.warn("demo: {} not found; the housing-fund demo database stays empty", cases);
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(cases)) {
            return dirs.filter(Files::isDirectory).map(d -> d.resolve("input.sql")).filter(Files::isRegularFile)
                    .sorted().toList();
        }
    }

    private boolean tableExists() throws SQLException {
        try (ResultSet rs = keepAlive.getMetaData().getTables(null, null, "GJJ_TQ", null)) {
            return rs.next();
        }
    }

    private long count(String table) throws SQLException {
        try (Statement s = keepAlive.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package yingyan.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The pool's connections carry the timeouts; Flyway's own connections carry none of them. */
class DatabaseTimeoutsConfigTest {
    private final DatabaseTimeouts timeouts = new DatabaseTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(150),
            Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(60));

    @Test
    void migrationsRunWithoutStatementLockOrSocketTimeouts() {
        try (HikariDataSource pool = postgresPool()) {
            DatabaseTimeoutsConfig.apply(pool, timeouts);
            assertThat(pool.getDataSourceProperties().getProperty("socketTimeout")).isEqualTo("150");

            FluentConfiguration flyway = new FluentConfiguration().dataSource(pool);
            new DatabaseTimeoutsConfig().migrationsWithoutTimeouts().customize(flyway);

            DriverManagerDataSource migrations = (DriverManagerDataSource) flyway.getDataSource();
            assertThat(migrations.getUrl()).isEqualTo(pool.getJdbcUrl());
            assertThat(migrations.getConnectionProperties().getProperty("socketTimeout")).isEqualTo("0");
            assertThat(migrations.getConnectionProperties().getProperty("options"))
                    .endsWith("-c statement_timeout=0 -c lock_timeout=0");
            assertThat(migrations.getConnectionProperties().getProperty("user")).isEqualTo("hub");
        }
    }

    private static HikariDataSource postgresPool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/yingyan");
        pool.setUsername("hub");
        return pool;
    }
}

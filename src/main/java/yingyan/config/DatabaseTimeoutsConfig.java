package yingyan.config;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Puts {@link DatabaseTimeouts} on the hub's PostgreSQL pool: the client-side timeouts as pgjdbc properties,
 * the server-side ones as the session's startup {@code options}, so every connection carries them from its
 * first statement (a {@code SET} after connecting could be lost with a reset, and a pool's init SQL would run
 * them again on each new connection anyway). An {@code options} already given is kept, after the hub's.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTimeoutsConfig {
    private static final Logger log = LoggerFactory.getLogger(DatabaseTimeoutsConfig.class);

    /** Static: a post-processor is created before the beans it handles. */
    @Bean
    static BeanPostProcessor databaseTimeouts(ObjectProvider<DatabaseTimeouts> timeouts) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && isPostgres(pool.getJdbcUrl())) {
                    apply(pool, timeouts.getObject());
                }
                return bean;
            }
        };
    }

    /**
     * Flyway's migrations may rebuild an index over millions of rows and wait for a table an older node is still
     * using: they run on connections of their own (closed after), without the statement, lock and socket timeouts. Not
     * on the pool's: a {@code SET} there would stay with a pooled connection after the migration.
     */
    @Bean
    FlywayConfigurationCustomizer migrationsWithoutTimeouts() {
        return flyway -> {
            if (flyway.getDataSource() instanceof HikariDataSource pool && isPostgres(pool.getJdbcUrl())) {
                Properties p = new Properties();
                p.putAll(pool.getDataSourceProperties());
                if (pool.getUsername() != null) {
                    p.setProperty("user", pool.getUsername());
                }
                if (pool.getPassword() != null) {
                    p.setProperty("password", pool.getPassword());
                }
                // The last -c of a name wins.
                p.setProperty("options", p.getProperty("options", "") + " -c statement_timeout=0 -c lock_timeout=0");
                // Nor the client's socket timeout: a long index build sends nothing back until it is done.
                p.setProperty("socketTimeout", "0");
                flyway.dataSource(new DriverManagerDataSource(pool.getJdbcUrl(), p));
            }
        };
    }

    static void apply(HikariDataSource pool, DatabaseTimeouts t) {
        pool.addDataSourceProperty("connectTimeout", String.valueOf(seconds(t.connectTimeout())));
        pool.addDataSourceProperty("socketTimeout", String.valueOf(seconds(t.socketTimeout())));
        Object given = pool.getDataSourceProperties().get("options");
        pool.addDataSourceProperty("options", t.serverOptions() + (given == null ? "" : " " + given));
        log.info("database timeouts: connect {} s, socket {} s, statement {}, lock {}, idle in transaction {}",
                seconds(t.connectTimeout()), seconds(t.socketTimeout()), t.statementTimeout(), t.lockTimeout(),
                t.idleInTransactionTimeout());
    }

    private static boolean isPostgres(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    /** pgjdbc takes whole seconds; 0 would mean "no timeout", so never round down to it. */
    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}

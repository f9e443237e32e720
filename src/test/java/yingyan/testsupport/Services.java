package yingyan.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The real services the *IT tests use (PostgreSQL, MariaDB, RabbitMQ on this machine). Where a service is not
 * reachable the test is skipped, unless YINGYAN_REQUIRE_SERVICES=true (as .ci/run sets): then it fails.
 */
public final class Services {
    public static final String REQUIRE = "YINGYAN_REQUIRE_SERVICES";

    private Services() {
    }

    /** Creates a fresh PostgreSQL database and returns its JDBC URL. */
    public static String freshPostgresDatabase(String prefix) {
        String host = env("YINGYAN_IT_PG_HOST", "127.0.0.1");
        String port = env("YINGYAN_IT_PG_PORT", "5432");
        String admin = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase();
        try (Connection c = DriverManager.getConnection(admin, pgUser(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            unavailable("PostgreSQL at " + host + ":" + port, e);
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /**
     * A copy of a database made by {@link #freshPostgresDatabase} (nothing may be connected to it meanwhile), e.g.
     * to evaluate its records again from scratch beside the original; returns the copy's JDBC URL.
     */
    public static String copyPostgresDatabase(String url, String prefix) throws SQLException {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase();
        String base = url.substring(0, url.lastIndexOf('/'));
        try (Connection c = DriverManager.getConnection(base + "/postgres", pgUser(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE " + url.substring(url.lastIndexOf('/') + 1));
        }
        return base + "/" + name;
    }

    /** Drops a database made by {@link #freshPostgresDatabase} (closing what is still connected to it). */
    public static void dropPostgresDatabase(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/')) + "/postgres",
                pgUser(), "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public static String pgUser() {
        return env("YINGYAN_IT_PG_USER", "postgres");
    }

    /** Creates a fresh MariaDB schema and returns its JDBC URL (user root, empty password by default). */
    public static String freshMariaDbSchema(String prefix) {
        String host = env("YINGYAN_IT_MARIADB_HOST", "127.0.0.1");
        String port = env("YINGYAN_IT_MARIADB_PORT", "3306");
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/",
                mariaDbUser(), env("YINGYAN_IT_MARIADB_PASSWORD", ""));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            unavailable("MariaDB at " + host + ":" + port, e);
        }
        return "jdbc:mariadb://" + host + ":" + port + "/" + name;
    }

    public static String mariaDbUser() {
        return env("YINGYAN_IT_MARIADB_USER", "root");
    }

    /**
     * The machine's RabbitMQ (AMQP 0-9-1) as {@code host:port}, after checking it answers an AMQP handshake
     * with the test user ({@link #rabbitUser}, {@link #rabbitPassword}).
     */
    public static String rabbitMq() {
        String host = env("YINGYAN_IT_RABBITMQ_HOST", "127.0.0.1");
        String port = env("YINGYAN_IT_RABBITMQ_PORT", "5672");
        com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
        f.setHost(host);
        f.setPort(Integer.parseInt(port));
        f.setUsername(rabbitUser());
        f.setPassword(rabbitPassword());
        f.setConnectionTimeout(3000);
        try (com.rabbitmq.client.Connection c = f.newConnection()) {
            return host + ":" + port;
        } catch (Exception e) {
            unavailable("RabbitMQ at " + host + ":" + port, e);
            return null;
        }
    }

    public static String rabbitUser() {
        return env("YINGYAN_IT_RABBITMQ_USER", "guest");
    }

    public static String rabbitPassword() {
        return env("YINGYAN_IT_RABBITMQ_PASSWORD", "guest");
    }

    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv(REQUIRE));
    }

    private static void unavailable(String what, Exception e) {
        if (required()) {
            throw new IllegalStateException(what + " is required (" + REQUIRE + "=true) but not reachable: "
                    + e.getMessage(), e);
        }
        Assumptions.abort(what + " not reachable (" + e.getMessage() + "); set " + REQUIRE
                + "=true to make this test mandatory");
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }
}

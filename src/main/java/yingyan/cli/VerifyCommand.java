package yingyan.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import yingyan.audit.Verifier;
import yingyan.audit.VerifyReport;

/**
 * {@code yingyan verify}: checks the database itself (not through the hub, so it works while the hub is
 * down): the history's and the audit log's hash chains, and the history against the province ledger and
 * the current records ({@link Verifier}). The database is found as the hub finds it (conf/, the active
 * profile, {@code YINGYAN_DB_*}) in a Spring context with only a data source, or given by
 * {@code --jdbc-url}; its schema must be the one this jar's migrations make (Flyway validation, nothing
 * migrated).
 */
@Command(name = "verify", description = {"Check the database directly: the history and audit hash chains are"
        + " intact and the history agrees with the province ledger and the current records. Says where anything"
        + " was edited, deleted or reordered.",
        "Exit code 1 when anything is found, 2 when the database cannot be checked."})
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;
    @Option(names = "--jdbc-url", paramLabel = "URL", description = "the database (default: as the hub's conf/ and"
            + " profile say, e.g. YINGYAN_DB_URL). Password: env YINGYAN_DB_PASSWORD")
    String jdbcUrl;
    @Option(names = "--db-user", paramLabel = "NAME", description = "the database user (default: as the hub's conf/)")
    String dbUser;
    @Option(names = "--profile", paramLabel = "NAME", description = "the hub's configuration profile, e.g. prod"
            + " (default: SPRING_PROFILES_ACTIVE, else demo)")
    String profile;

    @Override
    public Integer call() {
        PrintWriter out = cli.terminal().out();
        List<String> args = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--spring.main.log-startup-info=false"));
        if (jdbcUrl != null) {
            args.add("--spring.datasource.url=" + jdbcUrl);
        }
        if (dbUser != null) {
            args.add("--spring.datasource.username=" + dbUser);
        }
        if (profile != null) {
            args.add("--spring.profiles.active=" + profile);
        }
        String password = cli.terminal().env().get("YINGYAN_DB_PASSWORD");
        if (jdbcUrl != null && password != null) {
            args.add("--spring.datasource.password=" + password);
        }
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(Database.class).web(WebApplicationType.NONE)
                    .registerShutdownHook(false).run(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw new CliFailure(2, "cannot set up the database connection: " + rootCause(e));
        }
        try (context) {
            DataSource ds = context.getBean(DataSource.class);
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            out.println("Verifying " + url);
            // Boot resolves {vendor} for the hub's own migration run; plain Flyway here must be told.
            String vendor = DatabaseDriver.fromJdbcUrl(url).getId();
            schema(ds, context.getEnvironment().getProperty("spring.flyway.locations", "classpath:db/migration")
                    .replace("{vendor}", vendor), out);
            VerifyReport report;
            try {
                report = new Verifier(ds).verify();
            } catch (SQLException e) {
                throw new CliFailure(2, "cannot read the database: " + e.getMessage());
            }
            print(report, out);
            return report.intact() ? 0 : 1;
        }
    }

    /** The schema must be exactly what this jar's migrations make: the checks read V5's tables. */
    private static void schema(DataSource ds, String locations, PrintWriter out) {
        Flyway flyway = Flyway.configure().dataSource(ds).locations(locations.split(",")).load();
        ValidateResult v;
        try {
            v = flyway.validateWithResult();
        } catch (RuntimeException e) {
            throw new CliFailure(2, "cannot reach the database: " + rootCause(e));
        }
        if (!v.validationSuccessful) {
            throw new CliFailure(2, "the database's schema is not the one this hub's migrations make ("
                    + v.getAllErrorMessages() + "): point --jdbc-url at the hub's database, or start the hub once"
                    + " to migrate it");
        }
        var current = flyway.info().current();
        out.println("Schema version " + (current == null ? "none" : current.getVersion()) + " (Flyway validation passed)");
    }

    private static void print(VerifyReport r, PrintWriter out) {
        out.println("Checked:");
        r.checked().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.printf("  %-45s %d%n", e.getKey(), e.getValue()));
        if (r.intact()) {
            out.println("Intact: both hash chains verify, and the history agrees with the province ledger and the"
                    + " current records.");
            return;
        }
        out.println("FOUND " + (r.findings().size() + r.notListed().values().stream().mapToLong(Long::longValue).sum())
                + " problem(s): the database was changed outside the hub.");
        for (VerifyReport.Finding f : r.findings()) {
            out.println("  " + f);
        }
        r.notListed().forEach((check, n) -> {
            if (n > 0) {
                out.println("  ... and " + n + " more in " + check + " (only the first " + Verifier.MAX_LISTED
                        + " are listed)");
            }
        });
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Only a data source, configured as the hub's (conf/, profiles, environment). Not a @Configuration, so
     * the hub's own component scan does not pick it up.
     */
    @ImportAutoConfiguration(DataSourceAutoConfiguration.class)
    static class Database {
    }
}

package yingyan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator command line in the hub's jar: {@code java -jar yingyan-hub.jar <command>}. status,
 * quarantine and backfill ask the running hub over its HTTP API (so the hub checks the role and audits
 * the action); verify reads the database directly, so it works while the hub is down.
 *
 * <p>Exit codes: 0 done / all well, 1 the answer is bad news (an adapter down, a release refused, a
 * backfill failed, tampering found), 2 the command could not do its work (usage, hub unreachable,
 * credential refused, database unreadable).
 */
@Command(name = "yingyan", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Operator command line of the Yingyan hub. Without a command, the jar runs the hub.",
        subcommands = {StatusCommand.class, BackfillCommand.class, QuarantineCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public final class Cli implements Callable<Integer> {
    private final Terminal terminal;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Cli(Terminal terminal) {
        this.terminal = terminal;
    }

    Terminal terminal() {
        return terminal;
    }

    /** Whether these program arguments ask for a command (a first argument that is not an --option). */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && !args[0].startsWith("-");
    }

    /** Runs a command and returns its exit code. */
    public static int run(Terminal terminal, String... args) {
        CommandLine cmd = new CommandLine(new Cli(terminal));
        cmd.setOut(terminal.out());
        cmd.setErr(terminal.err());
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliFailure f) {
                line.getErr().println("yingyan " + line.getCommandName() + ": " + f.getMessage());
                line.getErr().flush();
                return f.exitCode();
            }
            throw e;
        });
        int code = cmd.execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(terminal.out());
        return 2;
    }

    /** The jar's version, as Maven wrote it into the manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[]{"yingyan-hub " + (v == null ? "(development build)" : v)};
        }
    }
}

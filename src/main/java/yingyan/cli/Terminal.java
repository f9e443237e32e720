package yingyan.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a command writes and what it may ask: the streams, the environment (the password comes from
 * {@code YINGYAN_CLI_PASSWORD}, never from a flag that {@code ps} would show) and, in a terminal, a
 * prompt. Tests pass their own.
 *
 * @param out results
 * @param err errors
 * @param env the environment variables the commands read
 * @param prompt asks for a secret without echo; null when there is no terminal
 * @param interactive whether {@code out} is a terminal (a progress bar redraws one line)
 */
public record Terminal(PrintWriter out, PrintWriter err, Map<String, String> env, Function<String, char[]> prompt,
                       boolean interactive) {

    /** The process's own streams, environment and console. */
    public static Terminal system() {
        Console console = System.console();
        return new Terminal(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv(),
                console == null ? null : text -> console.readPassword("%s", text), console != null);
    }
}

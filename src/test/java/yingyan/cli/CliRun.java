package yingyan.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One command run in this JVM as an operator would type it, with what it printed and its exit code. */
record CliRun(int exitCode, String out, String err) {

    /** Runs with {@code YINGYAN_CLI_PASSWORD} set to {@code password} (null: none, and no terminal to ask). */
    static CliRun run(String password, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = password == null ? Map.of() : Map.of(HubOptions.PASSWORD_ENV, password);
        int code = Cli.run(new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), env, null, false), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}

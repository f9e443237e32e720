package yingyan.cli;

import picocli.CommandLine.Option;

/** Where the running hub is and who asks: {@code --url}, {@code --user}; the password never as an option. */
final class HubOptions {
    static final String PASSWORD_ENV = "YINGYAN_CLI_PASSWORD";

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:YINGYAN_CLI_URL:-http://127.0.0.1:8080}",
            description = "the running hub (default ${DEFAULT-VALUE}; env YINGYAN_CLI_URL)")
    String url;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:YINGYAN_CLI_USER:-demo}",
            description = "the hub user to act as (default ${DEFAULT-VALUE}; env YINGYAN_CLI_USER). The password"
                    + " comes from env " + PASSWORD_ENV + ", or is asked for in a terminal")
    String user;

    HubClient client(Terminal t) {
        String fromEnv = t.env().get(PASSWORD_ENV);
        char[] password;
        if (fromEnv != null && !fromEnv.isEmpty()) {
            password = fromEnv.toCharArray();
        } else if (t.prompt() != null) {
            password = t.prompt().apply("Password of " + user + " at " + url + ": ");
            if (password == null) {
                throw new CliFailure(2, "no password given");
            }
        } else {
            throw new CliFailure(2, "no password for " + user + ": set " + PASSWORD_ENV
                    + " or run in a terminal to be asked (a password is never taken as an option: ps would show it)");
        }
        return new HubClient(url, user, password);
    }
}

package yingyan.cli;

import static yingyan.cli.HubClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code yingyan quarantine list|show|release}: the items that could not become records. */
@Command(name = "quarantine", description = "List, show and release quarantined items.",
        subcommands = {QuarantineCommand.ListItems.class, QuarantineCommand.Show.class, QuarantineCommand.Release.class})
final class QuarantineCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(cli.terminal().out());
        return 2;
    }

    /** What each subcommand has: the hub to ask (its options) and the terminal to answer on. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        QuarantineCommand parent;
        @Mixin
        HubOptions hub;

        PrintWriter out() {
            return parent.cli.terminal().out();
        }

        HubClient client() {
            return hub.client(parent.cli.terminal());
        }
    }

    @Command(name = "list", description = "Quarantined items, newest first: id, adapter, state, source key, field,"
            + " occurrences, received, reason.")
    static final class ListItems extends Subcommand {
        @Option(names = "--adapter", paramLabel = "ID", description = "only this adapter's items")
        String adapter;
        @Option(names = "--state", paramLabel = "STATE", description = "OPEN or RELEASED (default: both)")
        String state;
        @Option(names = "--limit", defaultValue = "50", description = "at most this many (1-1000, default ${DEFAULT-VALUE})")
        int limit;
        @Option(names = "--after", paramLabel = "CURSOR", description = "the next page (printed at the end of a full page)")
        String after;

        @Override
        public Integer call() {
            PrintWriter out = out();
            StringBuilder q = new StringBuilder("/api/v1/quarantine?limit=").append(limit);
            if (adapter != null) {
                q.append("&adapter=").append(HubClient.encode(adapter));
            }
            if (state != null) {
                q.append("&state=").append(HubClient.encode(state.toUpperCase(Locale.ROOT)));
            }
            if (after != null) {
                q.append("&after=").append(HubClient.encode(after));
            }
            JsonNode page = client().get(q.toString());
            TextTable t = new TextTable("ID", "ADAPTER", "STATE", "SOURCE KEY", "FIELD", "SEEN", "RECEIVED", "REASON");
            for (JsonNode i : page.path("items")) {
                t.row(i.path("id").asLong(), text(i, "adapter"), text(i, "state"), TextTable.cut(text(i, "sourceKey"), 30),
                        TextTable.cut(text(i, "field"), 24), i.path("occurrences").asInt(),
                        Times.local(text(i, "receivedAt")), text(i, "reason"));
            }
            if (t.isEmpty()) {
                out.println("No quarantined items" + (adapter == null ? "" : " of " + adapter)
                        + (state == null ? "" : " in state " + state) + ".");
            } else {
                t.print(out);
            }
            if (page.hasNonNull("next")) {
                out.println("More: yingyan quarantine list --after " + page.get("next").asText()
                        + (adapter == null ? "" : " --adapter " + adapter) + (state == null ? "" : " --state " + state));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "One item with its raw payload (resident IDs masked).")
    static final class Show extends Subcommand {
        @Parameters(paramLabel = "ID", description = "the item's id")
        long id;

        @Override
        public Integer call() {
            PrintWriter out = out();
            HubClient client = client();
            JsonNode i = client.get("/api/v1/quarantine/" + id);
            for (String f : List.of("id", "adapter", "state", "sourceKey", "origin", "field", "reason", "occurrences",
                    "receivedAt", "lastSeenAt", "releasedAt", "releaseOutcome", "recordId")) {
                String v = text(i, f);
                if (v != null) {
                    out.printf("%-15s %s%n", f, f.endsWith("At") ? Times.local(v) : v);
                }
            }
            out.println("raw:");
            out.println(text(i, "raw"));
            return 0;
        }
    }

    @Command(name = "release", description = {"Run items through their adapter's mapping and validation again and,"
            + " when they now pass, queue them as records.", "Exit code 1 when any item was not released."})
    static final class Release extends Subcommand {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "the items' ids")
        List<Long> ids = new ArrayList<>();
        @Option(names = "--reason-containing", paramLabel = "TEXT", description = {"every OPEN item whose reason"
                + " contains TEXT, instead of ids: after a rule of the hub changed (e.g. 'impossible timeline',"
                + " refused until 2026-12 although the contract allows it)"})
        String reasonContaining;

        @Override
        public Integer call() {
            PrintWriter out = out();
            HubClient client = client();
            if (reasonContaining != null) {
                if (!ids.isEmpty() || reasonContaining.isBlank()) {
                    throw new CliFailure(2, "give either ids or a non-empty --reason-containing, not both");
                }
                ids = openWithReasonContaining(client, reasonContaining);
                out.println(ids.size() + " open item(s) whose reason contains '" + reasonContaining + "'");
            } else if (ids.isEmpty()) {
                throw new CliFailure(2, "give the ids of the items to release, or --reason-containing TEXT");
            }
            int notReleased = 0;
            for (long id : ids) {
                HubClient.Response r = client.post("/api/v1/quarantine/" + id + "/release");
                JsonNode b = r.body();
                String state = text(b, "state");
                if (r.ok() && "RELEASED".equals(state)) {
                    out.println("#" + id + " RELEASED: queued as " + text(b, "recordId"));
                } else {
                    notReleased++;
                    out.println("#" + id + " " + (state == null ? "HTTP " + r.status() : state) + ": "
                            + (b.hasNonNull("detail") ? b.get("detail").asText() : r.reason()));
                }
            }
            if (ids.size() > 1) {
                out.println((ids.size() - notReleased) + " of " + ids.size() + " released");
            }
            return notReleased == 0 ? 0 : 1;
        }

        /** Every OPEN item whose reason contains {@code text}, read page by page. */
        private static List<Long> openWithReasonContaining(HubClient client, String text) {
            List<Long> found = new ArrayList<>();
            String after = null;
            do {
                JsonNode page = client.get("/api/v1/quarantine?state=OPEN&limit=1000"
                        + (after == null ? "" : "&after=" + HubClient.encode(after)));
                for (JsonNode i : page.path("items")) {
                    if (i.path("reason").asText("").contains(text)) {
                        found.add(i.path("id").asLong());
                    }
                }
                after = page.hasNonNull("next") ? page.get("next").asText() : null;
            } while (after != null);
            return found;
        }
    }
}

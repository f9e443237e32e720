package yingyan.cli;

import static yingyan.cli.HubClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code yingyan backfill --adapter X --since DATE}: asks the hub to re-read a source from a point in
 * time ({@code POST /api/v1/adapters/X/backfill}), follows it with a progress bar
 * ({@code GET} the same path) and prints what it came to. Re-read records already stored end as counted
 * duplicates, never as second copies.
 */
@Command(name = "backfill", description = {"Re-read an adapter's source from a date, with a progress bar and a"
        + " summary (read, queued, quarantined, applied, duplicates).",
        "Exit code 1 when the hub refuses the backfill or it fails."})
final class BackfillCommand implements Callable<Integer> {
    private static final Set<String> ENDED = Set.of("DONE", "FAILED");
    private static final int BAR = 30;

    @ParentCommand
    Cli cli;
    @Mixin
    HubOptions hub;
    @Option(names = "--adapter", required = true, paramLabel = "ID", description = "approvals, housing-fund,"
            + " land-transfer, procurement, ...")
    String adapter;
    @Option(names = "--since", paramLabel = "DATE", description = "2026-11-01 (from 00:00) or"
            + " 2026-11-01T08:00; Beijing time unless an offset is given (2026-11-01T00:00Z)")
    String since;
    @Option(names = "--no-wait", description = "start it and return; follow it with --follow later")
    boolean noWait;
    @Option(names = "--follow", description = "do not start one: follow the adapter's running (or last) backfill")
    boolean follow;
    @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "1000", hidden = true)
    long pollMillis;

    @Override
    public Integer call() {
        if (!follow && since == null) {
            throw new CliFailure(2, "--since DATE is required to start a backfill (or --follow to watch one)");
        }
        PrintWriter out = cli.terminal().out();
        HubClient client = hub.client(cli.terminal());
        String path = "/api/v1/adapters/" + HubClient.encode(adapter) + "/backfill";
        JsonNode job;
        if (follow) {
            job = client.get(path);

        } else {
            HubClient.Response r = client.post(path + "?since=" + HubClient.encode(since));
            if (!r.ok()) {
                out.println("The hub refused the backfill of " + adapter + " (" + r.status() + "): " + r.reason());
                return 1;
            }
            job = r.body();
            out.println("Backfill of " + adapter + " from " + Times.local(text(job, "since")) + " started"
                    + (text(job, "from") == null ? " (the adapter reads from its beginning: it had read nothing yet)"
                    : !text(job, "from").equals(text(job, "since")) ? "; reading from " + Times.local(text(job, "from"))
                    + ", where the adapter had got to" : "") + ".");
        }
        if (noWait) {
            out.println("Follow it with: yingyan backfill --adapter " + adapter + " --since " + since + " --follow");
            return 0;
        }
        String last = null;
        while (!ENDED.contains(text(job, "state"))) {
            last = progress(out, job, last);
            LockSupport.parkNanos(Duration.ofMillis(pollMillis).toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new CliFailure(2, "interrupted; the backfill goes on in the hub (--follow to watch it)");
            }
            job = client.get(path);
        }
        progress(out, job, last);
        if (cli.terminal().interactive()) {
            out.println();
        }
        summary(out, job);
        return "DONE".equals(text(job, "state")) ? 0 : 1;
    }

    /** One progress line; in a terminal it redraws itself, elsewhere a line is written when it changes. */
    private String progress(PrintWriter out, JsonNode job, String last) {
        double p = job.path("progress").asDouble();
        int filled = (int) Math.round(p * BAR);
        StringBuilder line = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(BAR - filled))
                .append("] ").append(String.format("%3d%%", Math.round(p * 100))).append("  read ")
                .append(job.path("read").asLong()).append(" (queued ").append(job.path("queued").asLong())
                .append(", quarantined ").append(job.path("quarantined").asLong()).append(")");
        if (job.has("filesTotal")) {
            line.append("  files ").append(job.path("filesDone").asInt()).append("/").append(job.path("filesTotal").asInt());
        }
        if (text(job, "position") != null) {
            line.append("  at ").append(Times.local(text(job, "position"))).append(" of ")
                    .append(Times.local(text(job, "now")));
        }
        line.append("  ").append(text(job, "state"));
        String s = line.toString();
        if (cli.terminal().interactive()) {
            out.print("\r" + s + "   ");
            out.flush();
        } else if (!s.equals(last)) {
            out.println(s);
            out.flush();
        }
        return s;
    }

    private static void summary(PrintWriter out, JsonNode job) {
        Instant started = Times.instant(text(job, "startedAt"));
        Instant finished = Times.instant(text(job, "finishedAt"));
        out.println("Backfill of " + text(job, "adapter") + " from " + Times.local(text(job, "since")) + ": "
                + text(job, "state") + (started != null && finished != null
                ? " in " + Times.age(Duration.between(started, finished)) : ""));
        out.printf("  read         %8d%n", job.path("read").asLong());
        out.printf("  queued       %8d%n", job.path("queued").asLong());
        out.printf("  quarantined  %8d%n", job.path("quarantined").asLong());
        out.printf("  applied      %8d   new or changed versions stored%n", job.path("applied").asLong());
        out.printf("  duplicates   %8d   already stored: counted, not stored again%n", job.path("duplicates").asLong());
        out.printf("  stale        %8d   older than the stored version%n", job.path("stale").asLong());
        out.printf("  conflicts    %8d   same time, other content: the later read won%n", job.path("conflicts").asLong());
        if (!job.path("settled").asBoolean() && "DONE".equals(text(job, "state"))) {
            out.println("  (not everything queued was applied within the hub's wait: the counts above are what was"
                    + " applied so far)");
        }
        out.println("  (applied/duplicates/stale count everything the adapter stored during the backfill)");
        if (text(job, "error") != null) {
            out.println("Failed: " + text(job, "error"));
            out.println("What was queued before the failure stays queued; the adapter's own polls go on from where it"
                    + " got to.");
        }
    }
}

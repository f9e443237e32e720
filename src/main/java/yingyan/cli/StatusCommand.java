package yingyan.cli;

import static yingyan.cli.HubClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code yingyan status}: each adapter's state, last success, last error, queued and quarantined, and a poll
 * under way (read and queued so far, position, rate); the
 * province's backlog; the database and the broker. Read from {@code /actuator/health} (with details, as a
 * viewer) and {@code /api/v1/province/pending}.
 */
@Command(name = "status", description = {"Show each adapter (state, last success, last error, queued and open"
        + " quarantine), the province backlog (pending, oldest pending), the database and the broker.",
        "Exit code 1 when anything is DOWN."})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;
    @Mixin
    HubOptions hub;

    @Override
    public Integer call() {
        PrintWriter out = cli.terminal().out();
        HubClient client = hub.client(cli.terminal());
        JsonNode health = client.get("/actuator/health", 503);
        String overall = health.path("status").asText("UNKNOWN");
        JsonNode components = health.path("components");
        out.println("Yingyan hub at " + client.base() + ": " + overall);
        out.println();

        boolean down = !"UP".equals(overall);
        Map<String, JsonNode> adapters = new TreeMap<>();
        components.path("adapters").path("components").fields().forEachRemaining(e -> adapters.put(e.getKey(),
                e.getValue()));
        TextTable table = new TextTable("ADAPTER", "STATE", "LAST SUCCESS", "QUEUED", "QUARANTINED", "LAST ERROR");
        List<String> reasons = new ArrayList<>();
        List<String> polls = new ArrayList<>();
        for (Map.Entry<String, JsonNode> a : adapters.entrySet()) {
            JsonNode d = a.getValue().path("details");
            String status = a.getValue().path("status").asText();
            String state = "UNKNOWN".equals(status) && d.has("state") ? d.get("state").asText() : status;
            down |= "DOWN".equals(status);
            String lastError = text(d, "lastError");
            JsonNode poll = d.path("poll");
            if (poll.isObject()) {
                polls.add(a.getKey() + " is polling since " + Times.withAge(text(poll, "startedAt")) + ": "
                        + String.format(Locale.ROOT, "%,d read, %,d queued, %,d quarantined; at %s; %,.1f/s",
                        poll.path("read").asLong(), poll.path("queued").asLong(), poll.path("quarantined").asLong(),
                        orDash(text(poll, "position")), poll.path("perSecond").asDouble()));
            }
            String lastSuccess = orNever(Times.withAge(text(d, "lastSuccessAt"))) + (poll.isObject() ? ", polling" : "");
            table.row(a.getKey(), state, lastSuccess, d.path("queued").asLong(),
                    d.path("quarantineOpen").asLong(),
                    lastError == null ? null : Times.local(text(d, "lastErrorAt")) + " " + TextTable.cut(lastError, 60));
            if ("DOWN".equals(status)) {
                reasons.add(a.getKey() + " is DOWN: " + text(d, "reason"));
            }
        }
        if (table.isEmpty()) {
            out.println("(no adapter health: is the user a VIEWER?)");
        } else {
            table.print(out);
        }
        polls.forEach(out::println);
        reasons.forEach(out::println);
        out.println();

        JsonNode p = client.get("/api/v1/province/pending?state=PENDING&limit=1");
        JsonNode counts = p.path("counts");
        JsonNode oldest = p.path("items").path(0);
        String since = text(oldest, "since");
        out.println("Province: " + p.path("notAccepted").asLong() + " not accepted (pending "
                + counts.path("PENDING").asLong() + ", sending " + counts.path("SENDING").asLong() + ", rejected "
                + counts.path("REJECTED").asLong() + "); oldest pending: "
                + (since == null ? "none" : "seq " + oldest.path("seq").asLong() + " (" + text(oldest, "recordId")
                + ") waiting since " + Times.withAge(since))
                + "; sender " + (p.path("sender").path("enabled").asBoolean() ? "on" : "off") + ", breaker "
                + p.path("sender").path("breaker").asText("?")
                + (components.has("province") ? ", health " + components.path("province").path("status").asText() : ""));
        out.println("Database: " + components.path("db").path("status").asText("?") + "; broker: "
                + components.path("jms").path("status").asText("?"));
        return down ? 1 : 0;
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String orNever(String s) {
        return s == null ? "never" : s;
    }
}

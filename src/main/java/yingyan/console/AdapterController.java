package yingyan.console;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.audit.AuditInterceptor;
import yingyan.ingest.AdapterControl;
import yingyan.web.NotFoundException;
import yingyan.web.QueryParams;

/**
 * {@code /api/v1/adapters}: the flow board (role VIEWER), each adapter's per-minute flow, and what an
 * operator may do to an adapter: stop, start, poll now (role OPERATOR; each audited with its outcome).
 */
@RestController
@RequestMapping("/api/v1/adapters")
@Tag(name = "adapters", description = "The flow board and per-minute flow (role VIEWER); stop, start and poll now"
        + " (role OPERATOR)")
class AdapterController {
    /** The longest flow chart a client may ask for: a week of minutes. */
    static final int MAX_CHART_MINUTES = 10080;

    private final FlowBoard board;
    private final AdapterControl control;
    private final ConsoleProperties props;

    AdapterController(FlowBoard board, AdapterControl control, ConsoleProperties props) {
        this.board = board;
        this.control = control;
        this.props = props;
    }

    @Operation(summary = "The flow board: one row per adapter (items) and the provincial push (province)")
    @GetMapping
    Map<String, Object> list() {
        return board.board();
    }

    @Operation(summary = "One adapter's row of the flow board")
    @GetMapping("/{id}")
    Map<String, Object> one(@PathVariable String id) {
        return board.row(known(id));
    }

    @Operation(summary = "Records per minute of one adapter (applied, duplicates, stale, conflicts), oldest first",
            description = "minutes 1..10080, default hub.console.chart-minutes")
    @GetMapping("/{id}/flow")
    Map<String, Object> flow(@PathVariable String id, @RequestParam(required = false) Integer minutes) {
        return board.flow(known(id), QueryParams.count("minutes", minutes, props.chartMinutes(), MAX_CHART_MINUTES));
    }

    @Operation(summary = "Stops the adapter's source route(s); a poll under way finishes first")
    @PostMapping("/{id}/stop")
    Map<String, Object> stop(@PathVariable String id, Principal who) throws Exception {
        List<String> stopped = control.stop(known(id), who.getName());
        return outcome(id, !stopped.isEmpty() ? "stopped " + String.join(", ", stopped)
                : control.runsElsewhere(id) ? "stop kept; the node that runs it stops it within seconds"
                : "already stopped");
    }

    @Operation(summary = "Starts the adapter's source route(s); it polls at once")
    @PostMapping("/{id}/start")
    Map<String, Object> start(@PathVariable String id) throws Exception {
        List<String> started = control.start(known(id));
        return outcome(id, !started.isEmpty() ? "started " + String.join(", ", started)
                : control.runsElsewhere(id) ? "start kept; the node that runs it starts it within seconds"
                : "already running");
    }

    @Operation(summary = "Polls the adapter's source now, clearing a backoff after failures; 409 while stopped")
    @PostMapping("/{id}/poll")
    ResponseEntity<Map<String, Object>> poll(@PathVariable String id) {
        if (control.runsElsewhere(known(id))) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(outcome(id, "not polled: the adapter runs on "
                    + control.runsOn(id).map(n -> "node " + n).orElse("no node at the moment (being elected)")
                    + ", not on this one; poll it there"));
        }
        List<String> triggered = control.pollNow(known(id));
        if (triggered.isEmpty()) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(outcome(id,
                    "not polled: the adapter is " + control.state(id) + "; start it first"));
        }
        return ResponseEntity.ok(outcome(id, "poll requested on " + String.join(", ", triggered)));
    }

    private Map<String, Object> outcome(String id, String detail) {
        AuditInterceptor.note(detail);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("adapter", id);
        out.put("state", control.state(id).name());
        out.put("routes", control.routeStatus(id));
        out.put("runsOn", control.runsOn(id).orElse(null));
        out.put("detail", detail);
        return out;
    }

    private String known(String id) {
        if (!control.exists(id)) {
            throw new NotFoundException("no adapter " + id);
        }
        return id;
    }
}

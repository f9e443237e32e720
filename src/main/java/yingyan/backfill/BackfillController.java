package yingyan.backfill;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.audit.AuditInterceptor;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.Backfillable;
import yingyan.web.BadRequestException;
import yingyan.web.NotFoundException;

/**
 * {@code /api/v1/adapters/{id}/backfill}: re-read an adapter's source from a time (role OPERATOR) and
 * follow how far it has come (VIEWER).
 */
@RestController
@RequestMapping("/api/v1/adapters/{adapter}/backfill")
@Tag(name = "backfill", description = "Re-read a source from a point in time:"
        + " start (role OPERATOR), progress and summary (role VIEWER)")
class BackfillController {
    private final BackfillService backfills;

    BackfillController(BackfillService backfills) {
        this.backfills = backfills;
    }

    /**
     * Starts a backfill; 202 with its state. {@code since}: a date ({@code 2026-11-01}, from 00:00) or a
     * date-time ({@code 2026-11-01T08:00}), Beijing time unless an offset is given.
     */
    @PostMapping
    ResponseEntity<?> start(@PathVariable String adapter, @RequestParam String since, Authentication who) {
        OffsetDateTime from = parseSince(since);
        try {
            BackfillService.Job job = backfills.start(adapter, from, who.getName());
            Map<String, Object> view = job.view();
            AuditInterceptor.note("backfill of " + adapter + " from " + view.get("since") + " started (reading from "
                    + view.get("from") + ")");
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
        } catch (BackfillService.UnknownAdapter e) {
            throw new NotFoundException(e.getMessage());
        } catch (Backfillable.Refused e) {
            AuditInterceptor.note("refused: " + e.getMessage());
            throw new BadRequestException("since", e.getMessage());
        } catch (BackfillService.Busy e) {
            AuditInterceptor.note("refused: " + e.getMessage());
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
            p.setTitle("Backfill not possible now");
            return ResponseEntity.status(HttpStatus.CONFLICT).body(p);
        }
    }

    /** The adapter's newest backfill: state, position, progress 0..1, counts, and once read the summary. */
    @GetMapping
    Map<String, Object> progress(@PathVariable String adapter) {
        return backfills.latest(adapter).map(BackfillService.Job::view)
                .orElseThrow(() -> new NotFoundException("no backfill of '" + adapter + "' since the hub started"));
    }

    static OffsetDateTime parseSince(String text) {
        String s = text.trim();
        OffsetDateTime t = null;
        try {
            t = OffsetDateTime.parse(s);
        } catch (DateTimeParseException notWithOffset) {
            try {
                t = LocalDateTime.parse(s.replace(' ', 'T')).atOffset(CanonicalTime.BEIJING);
            } catch (DateTimeParseException notLocal) {
                try {
                    t = LocalDate.parse(s).atStartOfDay().atOffset(CanonicalTime.BEIJING);
                } catch (DateTimeParseException notADate) {
                    throw new BadRequestException("since", "since '" + text + "' is neither a date (2026-11-01)"
                            + " nor a date-time (2026-11-01T08:00, Beijing time unless an offset is given)");
                }
            }
        }
        if (t.isAfter(OffsetDateTime.now())) {
            throw new BadRequestException("since", "since " + CanonicalTime.format(t) + " is in the future");
        }
        return t;
    }
}

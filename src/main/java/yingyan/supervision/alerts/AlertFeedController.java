package yingyan.supervision.alerts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.canonical.CanonicalJson;
import yingyan.feed.FeedConsumers;
import yingyan.feed.FeedGrants;
import yingyan.web.BadRequestException;
import yingyan.web.Cursors;
import yingyan.web.ListPage;

/**
 * {@code GET /api/v1/alerts/feed}: every alert event (RAISED, UPDATED, RESOLVED, CLEARED) once, in the order the
 * hub recorded it, with the record feed's cursor rules: {@code next} is never null (the position after the last
 * event served, or {@code after} itself when there is nothing new), a cursor beyond the newest event is refused.
 * Feed consumers read within their grants: an alert's domain, and the regions of every record it names.
 */
@RestController
@Tag(name = "alerts", description = "Supervision alerts")
class AlertFeedController {
    private final AlertQueries queries;
    private final FeedConsumers consumers;

    AlertFeedController(AlertQueries queries, FeedConsumers consumers) {
        this.queries = queries;
        this.consumers = consumers;
    }

    @Operation(summary = "Alert events after the cursor, oldest first (CONSUMER)",
            description = "{\"items\": [{\"event\", \"at\", \"alert\": alert v1 as it stood after the event}],"
                    + " \"next\": cursor}. A filter outside the caller's grants answers 403.")
    @GetMapping(value = "/api/v1/alerts/feed", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> feed(
            @Parameter(description = "a cursor from a previous answer; absent = from the beginning")
            @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String domain,
            @RequestParam(required = false) String regionCode, Authentication caller) {
        int n = ListPage.limit(limit);
        long from = after == null ? 0 : Cursors.decodeAlertFeed(after);
        FeedGrants read = consumers.grantsOf(caller).narrowTo(domain, regionCode, caller.getName());
        if (from > queries.newestEvent()) {
            throw new BadRequestException("after", "this hub never issued that cursor (beyond its newest alert"
                    + " event): was the cursor kept from another hub or a replaced database?");
        }
        List<AlertQueries.Event> events = queries.feed(from, read.regions(), read.domains(), n);
        long last = events.isEmpty() ? from : events.get(events.size() - 1).seq();
        String next = Cursors.encodeAlertFeed(last);
        return ResponseEntity.ok().header(Cursors.NEXT_HEADER, next).contentType(MediaType.APPLICATION_JSON)
                .body(ListPage.json(events, AlertFeedController::item, next));
    }

    /** One event as the feed and an alert's history show it; the stored alert JSON as it is. */
    static String item(AlertQueries.Event e) {
        return "{\"event\":\"" + e.kind() + "\",\"at\":" + CanonicalJson.write(AlertsController.time(e.at()))
                + ",\"alert\":" + e.body() + "}";
    }
}

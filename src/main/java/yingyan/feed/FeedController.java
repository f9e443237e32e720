package yingyan.feed;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalXml;
import yingyan.web.BadRequestException;
import yingyan.web.Cursors;
import yingyan.web.ListPage;

/**
 * {@code GET /api/v1/feed}: every applied record version, once, in the order the hub applied it
 * (docs/contracts/province.md §2). {@code next} is always a cursor: the position after the last item served, or the
 * request's own position when nothing new has been applied yet, so a consumer stores it and comes back.
 */
@RestController
@RequestMapping("/api/v1/feed")
@Tag(name = "feed", description = "The change feed for provincial, city and county systems")
class FeedController {
    /** Carries the next cursor in the XML answer (the XSD's records element has no place for it); also sent with JSON. */
    static final String NEXT_HEADER = Cursors.NEXT_HEADER;

    private final FeedQueries queries;
    private final FeedConsumers consumers;

    FeedController(FeedQueries queries, FeedConsumers consumers) {
        this.queries = queries;
        this.consumers = consumers;
    }

    /** One page as selected for the caller. */
    private record Page(List<FeedQueries.Row> rows, String next) {
    }

    @Operation(summary = "Record versions applied after the cursor, oldest first",
            description = "Each applied version once, in applied order. `next` is never null: the cursor after the"
                    + " last item, or the given `after` when there is nothing new. A filter outside the caller's"
                    + " grants answers 403; without a filter the caller gets everything it was granted.",
            responses = @ApiResponse(responseCode = "200", description = "{\"items\": [canonical v1 records],"
                    + " \"next\": cursor}", headers = @Header(name = NEXT_HEADER, description = "the next cursor")))
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> json(
            @Parameter(description = "a cursor from a previous answer; absent = from the beginning")
            @RequestParam(required = false) String after,
            @Parameter(description = "items per page, 1..1000, default 100") @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String domain, @RequestParam(required = false) String regionCode,
            Authentication caller) {
        Page page = page(after, limit, domain, regionCode, caller);
        // The stored canonical JSON as it is, byte for byte: no record is parsed or re-encoded to serve a page.
        byte[] head = "{\"items\":[".getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("],\"next\":\"" + page.next() + "\"}").getBytes(StandardCharsets.UTF_8);
        int size = head.length + tail.length + page.rows().size();
        for (FeedQueries.Row row : page.rows()) {
            size += row.json().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(head);
        for (int i = 0; i < page.rows().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.rows().get(i).json());
        }
        out.writeBytes(tail);
        return ResponseEntity.ok().header(NEXT_HEADER, page.next()).contentType(MediaType.APPLICATION_JSON)
                .body(out.toByteArray());
    }

    @Operation(summary = "The same page as a canonical XML records document",
            description = "A `records` element of schemas/canonical/v1/record.xsd; the next cursor is in the "
                    + NEXT_HEADER + " header.")
    @GetMapping(produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> xml(@RequestParam(required = false) String after,
                               @RequestParam(required = false) Integer limit,
                               @RequestParam(required = false) String domain,
                               @RequestParam(required = false) String regionCode, Authentication caller) {
        Page page = page(after, limit, domain, regionCode, caller);
        StringWriter out = new StringWriter();
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<records xmlns=\"" + CanonicalRecord.XML_NAMESPACE
                + "\">");
        try {
            Marshaller m = CanonicalXml.context().createMarshaller();
            m.setProperty(Marshaller.JAXB_FRAGMENT, true);
            for (FeedQueries.Row row : page.rows()) {
                m.marshal(CanonicalJson.read(row.body()), out);
            }
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write the feed page as XML", e);
        }
        out.write("</records>");
        return ResponseEntity.ok().header(NEXT_HEADER, page.next()).contentType(MediaType.APPLICATION_XML)
                .body(out.toString());
    }

    private Page page(String after, Integer limit, String domain, String regionCode, Authentication caller) {
        int n = ListPage.limit(limit);
        long from = after == null ? 0 : Cursors.decodeFeed(after);
        FeedGrants read = consumers.grantsOf(caller).narrowTo(domain, regionCode, caller.getName());
        List<FeedQueries.Row> rows = queries.after(from, read.regions(), read.domains(), n);
        // A served position always exists (versions are never deleted), so one beyond the newest is foreign:
        // say so instead of handing back an empty page forever.
        if (rows.isEmpty() && from > 0 && from > queries.newest()) {
            throw new BadRequestException("after", "this hub never issued that cursor (beyond its newest"
                    + " version): was the cursor kept from another hub or a replaced database?");
        }
        long last = rows.isEmpty() ? from : rows.get(rows.size() - 1).seq();
        return new Page(rows, Cursors.encodeFeed(last));
    }
}

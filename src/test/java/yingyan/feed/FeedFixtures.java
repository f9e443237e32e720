package yingyan.feed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.Payloads;

/** Records to apply and an HTTP feed consumer that keeps its cursor, for the feed tests. */
public final class FeedFixtures {
    private FeedFixtures() {
    }

    /** A valid record version; its payload hash is unique per (key, version), so a version is recognisable. */
    public static CanonicalRecord rec(String key, int version, String region, Domain domain) {
        return rec("fixture", key, version, region, domain);
    }

    public static CanonicalRecord rec(String system, String key, int version, String region, Domain domain) {
        OffsetDateTime at = CanonicalTime.parseSource("2026-03-01 10:00:00").plusSeconds(version);
        return CanonicalRecord.builder()
                .domain(domain).regionCode(region)
                .department(new Department("FIXTURE", "测试部门", false))
                .matter(new Matter("M-1", "测试事项"))
                .party(Party.org("某公司", "91350100M000100Y43"))
                .status(Status.OPEN)
                .step(Step.RECEIVED, at, null)
                .source(new SourceLineage(system, key, at, OffsetDateTime.now(CanonicalTime.BEIJING),
                        Payloads.sha256((key + "#" + version).getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** What identifies one applied version in a feed item or a record_version row. */
    static String version(String recordId, String payloadSha256) {
        return recordId + "@" + payloadSha256;
    }

    /** A feed consumer over HTTP: pages with its own credential and keeps its cursor (across hub restarts). */
    static final class Consumer {
        private final HttpClient http = HttpClient.newHttpClient();
        private final String auth;
        private final int limit;
        volatile String baseUrl;
        volatile String cursor;
        final List<String> seen = new ArrayList<>();

        Consumer(String baseUrl, String user, String password, int limit) {
            this.baseUrl = baseUrl;
            this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            this.limit = limit;
        }

        /** Reads one page, remembers its items and moves the cursor; returns how many items it had. */
        int page(String filters) throws IOException, InterruptedException {
            JsonNode page = CanonicalJson.mapper().readTree(get(filters));
            JsonNode items = page.get("items");
            for (JsonNode item : items) {
                seen.add(version(item.get("recordId").asText(), item.at("/source/payloadSha256").asText()));
            }
            if (!page.get("next").isTextual()) {
                throw new AssertionError("next must always be a cursor: " + page);
            }
            cursor = page.get("next").asText();
            return items.size();
        }

        /** Pages until a page comes back short: caught up. */
        void drain(String filters) throws IOException, InterruptedException {
            while (page(filters) == limit) {
                // keep going
            }
        }

        String get(String filters) throws IOException, InterruptedException {
            HttpResponse<String> r = request(filters, "application/json");
            if (r.statusCode() != 200) {
                throw new AssertionError("feed answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }

        HttpResponse<String> request(String filters, String accept) throws IOException, InterruptedException {
            String q = "limit=" + limit + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor,
                    StandardCharsets.UTF_8)) + (filters == null || filters.isEmpty() ? "" : "&" + filters);
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/feed?" + q))
                    .header("Authorization", auth).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}

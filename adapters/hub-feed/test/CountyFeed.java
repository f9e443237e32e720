package yingyan.adapters.hubfeed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import yingyan.canonical.CanonicalJson;
import yingyan.testsupport.NothingLost.Produced;

/**
 * A county hub's change feed for tests elsewhere (the cluster proof): {@code GET /api/v1/feed?after=&limit=} with
 * Basic auth, paged as the demo county pages ({@link HubFeedDemoServer#page}), on a free loopback port. Its items are
 * canonical records of the county's approvals, made from the first item of the {@code county-page} sample with their
 * own keys; a change appends a newer version of a record, as a feed does. Remembers each record's newest updatedAt.
 */
public final class CountyFeed implements AutoCloseable {
    public static final String CONSUMER = "shouguang-approvals";
    public static final String PASSWORD = "cluster-county-secret";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 11, 9, 0, 0, 0, ZoneOffset.ofHours(8));

    private final String prefix;
    private final ObjectNode template;
    private final List<JsonNode> items = new CopyOnWriteArrayList<>();
    private final Map<String, Produced> produced = new LinkedHashMap<>();
    private final HttpServer server;

    /** A county whose records are {@code approvals:<prefix>-nnnnn}. */
    public CountyFeed(String prefix) throws IOException {
        this.prefix = prefix;
        template = (ObjectNode) CanonicalJson.mapper().readTree(java.nio.file.Files.readAllBytes(
                HubFeedFixtures.CASES.resolve("county-page").resolve("input.json"))).path("items").get(0);
        String basic = "Basic " + Base64.getEncoder().encodeToString((CONSUMER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/feed", ex -> {
            if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{\"status\":401}");
                return;
            }
            String raw = ex.getRequestURI().getRawQuery();
            int after = 0;
            int limit = 100;
            for (String kv : raw == null ? new String[0] : raw.split("&")) {
                if (kv.startsWith("after=")) {
                    after = HubFeedDemoServer.position(java.net.URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
                } else if (kv.startsWith("limit=")) {
                    limit = Integer.parseInt(kv.substring(6));
                }
            }
            reply(ex, 200, CanonicalJson.mapper().writeValueAsString(HubFeedDemoServer.page(items, after, limit)));
        });
        server.start();
    }

    /** The hub's settings to read this county's feed. */
    public Map<String, Object> hubSettings() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hub.adapters.hub-feed.enabled", "true");
        p.put("hub.adapters.hub-feed.base-url", "http://127.0.0.1:" + server.getAddress().getPort());
        p.put("hub.adapters.hub-feed.consumer", CONSUMER);
        p.put("hub.adapters.hub-feed.password", PASSWORD);
        p.put("hub.adapters.hub-feed.poll-interval", "500ms");
        p.put("hub.adapters.hub-feed.page-limit", "50");
        return p;
    }

    /** Records {@code from}… appear in the county's feed, a second apart. */
    public synchronized void add(int from, int count) {
        for (int i = from; i < from + count; i++) {
            append(i, T0.plusSeconds(i), "first");
        }
    }

    /** Records {@code from}… (added before) changed a day later: a newer version of each appended to the feed. */
    public synchronized void change(int from, int count) {
        for (int i = from; i < from + count; i++) {
            append(i, T0.plusDays(1).plusSeconds(i), "second");
        }
    }

    /** Every record with its newest updatedAt. */
    public synchronized Map<String, Produced> produced() {
        return new LinkedHashMap<>(produced);
    }

    /** Items (versions) in the feed so far. */
    public int versions() {
        return items.size();
    }

    private void append(int i, OffsetDateTime updatedAt, String version) {
        String key = String.format("%s-%05d", prefix, i);
        ObjectNode item = template.deepCopy();
        item.put("recordId", "approvals:" + key);
        ObjectNode source = (ObjectNode) item.get("source");
        source.put("key", key);
        source.put("updatedAt", updatedAt.toString());
        source.put("fetchedAt", updatedAt.plusSeconds(30).toString());
        source.put("payloadSha256", sha256(key + " " + updatedAt + " " + version));
        items.add(item);
        produced.put("approvals:" + key, Produced.at(updatedAt));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the hub asking died (kill -9)
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

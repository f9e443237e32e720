package yingyan.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * An in-memory city approval system speaking the contract of docs/contracts/departments/approvals.md
 * (updatedSince inclusive, page/size, ordered by updatedAt then caseNo, X-Api-Key), for tests that
 * need a source whose content changes while the hub reads it.
 */
public final class FakeApprovalsSystem implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Case> cases = new ConcurrentHashMap<>();
    private final String apiKey;
    private volatile long delayMillis;
    private volatile int failWith;

    /** One case: its number, last change time ("yyyy-MM-dd HH:mm:ss") and state. */
    public record Case(String caseNo, String updatedAt, String state) {
    }

    public FakeApprovalsSystem(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/cases", exchange -> {
            try (exchange) {
                if (!apiKey.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                if (failWith > 0) {
                    // the system is down (a 503 storm): every request fails until it is back
                    exchange.sendResponseHeaders(failWith, -1);
                    return;
                }
                if (delayMillis > 0) {
                    // a slow source, so a test can stop the hub in the middle of a run
                    java.util.concurrent.locks.LockSupport.parkNanos(delayMillis * 1_000_000L);
                }
                Map<String, String> q = query(exchange.getRequestURI());
                int page = Integer.parseInt(q.getOrDefault("page", "1"));
                int size = Integer.parseInt(q.getOrDefault("size", "100"));
                String since = q.get("updatedSince");
                List<Case> matching = new ArrayList<>(cases.values().stream()
                        .filter(c -> since == null || c.updatedAt().compareTo(since) >= 0)
                        .sorted(Comparator.comparing(Case::updatedAt).thenComparing(Case::caseNo)).toList());
                int from = Math.min(matching.size(), (page - 1) * size);
                int to = Math.min(matching.size(), from + size);
                StringBuilder body = new StringBuilder("{\"total\":" + matching.size() + ",\"page\":" + page
                        + ",\"size\":" + size + ",\"items\":[");
                for (int i = from; i < to; i++) {
                    body.append(i == from ? "" : ",").append(json(matching.get(i)));
                }
                body.append("]}");
                byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(Case c) {
        cases.put(c.caseNo(), c);
    }

    public Map<String, Case> cases() {
        return Map.copyOf(cases);
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** Every request answered with this status (e.g. 503) from now on; 0 = working again. */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** Every case as the record it must be in the hub, at its newest updatedAt. */
    public Map<String, NothingLost.Produced> produced() {
        Map<String, NothingLost.Produced> out = new HashMap<>();
        cases.values().forEach(c -> out.put("approvals:" + c.caseNo(),
                NothingLost.Produced.at(yingyan.canonical.CanonicalTime.parseSource(c.updatedAt()))));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private static String json(Case c) {
        return "{\"caseNo\":\"" + c.caseNo() + "\",\"regionCode\":\"370783\",\"deptCode\":\"sgzrzy\","
                + "\"deptName\":\"寿光市自然资源局\",\"itemCode\":\"370700-XK-0012\",\"itemName\":\"建设工程规划许可证核发\","
                + "\"applicant\":{\"kind\":\"法人\",\"name\":\"寿光市某某置业有限公司\",\"certNo\":\"91350100M000100Y43\"},"
                + "\"receivedAt\":\"2026-03-02 09:15:00\",\"acceptedAt\":null,\"decidedAt\":null,\"completedAt\":null,"
                + "\"handlers\":{\"received\":\"窗口-张三\"},\"legalLimit\":20,\"promisedLimit\":10,\"fee\":\"1200.00\","
                + "\"state\":\"" + c.state() + "\",\"updatedAt\":\"" + c.updatedAt() + "\"}";
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}

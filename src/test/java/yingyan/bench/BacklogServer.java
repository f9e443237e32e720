package yingyan.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The approval system's {@code GET /api/cases} over an {@link ApprovalsBacklog}: only the first
 * {@link #visible()} cases exist, so a benchmark can serve a whole backlog at once or release cases at
 * a set rate (a throttled source) by moving that bound.
 */
final class BacklogServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final AtomicLong visible = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    BacklogServer(ApprovalsBacklog backlog, String apiKey) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(pool);
        server.createContext("/api/cases", exchange -> {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            try (exchange) {
                requests.incrementAndGet();
                if (!apiKey.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
                byte[] body = backlog.page(q.get("updatedSince"), Integer.parseInt(q.getOrDefault("page", "1")),
                        Integer.parseInt(q.getOrDefault("size", "100")), visible.get());
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } finally {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many cases exist now (cases 0 .. visible-1). */
    AtomicLong visible() {
        return visible;
    }

    long requests() {
        return requests.get();
    }

    /** CPU time spent answering so far: the source's share of this JVM's CPU, which is not the hub's. */
    long cpuNanos() {
        return cpuNanos.get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
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

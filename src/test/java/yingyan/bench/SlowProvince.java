package yingyan.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A province that accepts every record of every batch after {@code latency}, and answers 429 to a
 * request that starts within a second of the 20th request before it (the quota, counted, so the
 * benchmark shows whether the hub kept it).
 */
final class SlowProvince implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    private final HttpServer server;
    // More threads than the hub's max-in-flight: with exactly as many, a request that came in while the thread of
    // the answer before it was still closing its exchange waited in the queue and was counted late, as arriving
    // closer to the requests after it than it did.
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final ArrayDeque<Long> starts = new ArrayDeque<>();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong overQuota = new AtomicLong();

    SlowProvince(long latencyMillis, int requestsPerSecond) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(pool);
        server.createContext("/api/supervision/v1/batches", exchange -> {
            try (exchange) {
                long start = System.nanoTime();
                requests.incrementAndGet();
                boolean over;
                synchronized (starts) {
                    starts.addLast(start);
                    while (starts.size() > requestsPerSecond + 1) {
                        starts.removeFirst();
                    }
                    over = starts.size() > requestsPerSecond
                            && start - starts.peekFirst() < TimeUnit.SECONDS.toNanos(1);
                }
                StringBuilder ids = new StringBuilder();
                String batchId = null;
                int n = 0;
                try (InputStream in = exchange.getRequestBody(); JsonParser p = JSON.createParser(in)) {
                    int depth = 0;
                    for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            depth++;
                        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                            depth--;
                        } else if (t == JsonToken.FIELD_NAME && depth == 1 && "batchId".equals(p.currentName())) {
                            batchId = p.nextTextValue();
                        } else if (t == JsonToken.FIELD_NAME && depth == 3 && "recordId".equals(p.currentName())) {
                            ids.append(n++ == 0 ? "" : ",").append('"').append(p.nextTextValue()).append('"');
                        }
                    }
                }
                LockSupport.parkNanos(start + TimeUnit.MILLISECONDS.toNanos(latencyMillis) - System.nanoTime());
                if (over) {
                    overQuota.incrementAndGet();
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(429, -1);
                    return;
                }
                accepted.addAndGet(n);
                byte[] body = ("{\"batchId\":\"" + batchId + "\",\"accepted\":[" + ids + "],\"rejected\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

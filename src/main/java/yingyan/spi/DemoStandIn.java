package yingyan.spi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;

/**
 * What the quick start's stand-ins (a demo department system, the demo province) share: a loopback HTTP
 * server, and the sample pages under {@code test-data/<adapter>/} they serve.
 */
public final class DemoStandIn {
    private DemoStandIn() {
    }

    /**
     * Serves {@code path} with the handler on 127.0.0.1:{@code port} (0: any free port), started.
     *
     * @param who          the stand-in as a failure names it: "the approvals demo server"
     * @param portProperty the setting that gives it another port
     * @param urlProperty  the setting that must follow the port
     * @throws IllegalStateException when it cannot listen there, saying which settings to change
     */
    public static HttpServer listen(int port, String path, HttpHandler handler, String who, String portProperty,
                                    String urlProperty) throws IOException {
        return listen(port, Map.of(path, handler), who, portProperty, urlProperty);
    }

    /** {@link #listen(int, String, HttpHandler, String, String, String)} serving each path with its handler. */
    public static HttpServer listen(int port, Map<String, HttpHandler> handlers, String who, String portProperty,
                                    String urlProperty) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        HttpServer server;
        try {
            server = HttpServer.create(at, 0);
        } catch (IOException e) {
            throw new IllegalStateException(who + " cannot listen on " + at + ": set " + portProperty
                    + " to a free port (and " + urlProperty + " to match)", e);
        }
        handlers.forEach(server::createContext);
        server.start();
        return server;
    }

    /** Answers the request with {@code body} as {@code contentType}. */
    public static void reply(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Every {@code <dir>/<case>/input.json}, in folder order; none when there is no such folder, which the
     * stand-in's log says ("approvals demo server: no sample folder …; serving no cases").
     */
    public static List<Path> samplePages(Path dir, Logger log, String who, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            log.warn("{}: no sample folder {}; serving no {}", who, dir.toAbsolutePath(), what);
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(d -> d.resolve("input.json")).filter(Files::isRegularFile).sorted().toList();
        }
    }
}

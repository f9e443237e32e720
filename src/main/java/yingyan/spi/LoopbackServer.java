package yingyan.spi;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The HTTP server of a quick-start stand-in (a demo department system, the demo province): loopback only. */
public final class LoopbackServer {
    private LoopbackServer() {
    }

    /**
     * Serves {@code path} with the handler on 127.0.0.1:{@code port} (0: any free port), started.
     *
     * @param who          the stand-in as a failure names it: "the approvals demo server"
     * @param portProperty the setting that gives it another port
     * @param urlProperty  the setting that must follow the port
     * @throws IllegalStateException when it cannot listen there, saying which settings to change
     */
    public static HttpServer start(int port, String path, HttpHandler handler, String who, String portProperty,
                                   String urlProperty) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        HttpServer server;
        try {
            server = HttpServer.create(at, 0);
        } catch (IOException e) {
            throw new IllegalStateException(who + " cannot listen on " + at + ": set " + portProperty
                    + " to a free port (and " + urlProperty + " to match)", e);
        }
        server.createContext(path, handler);
        server.start();
        return server;
    }
}

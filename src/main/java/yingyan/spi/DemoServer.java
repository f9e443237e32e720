package yingyan.spi;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Base of a quick-start stand-in for a department system: a loopback HTTP server ({@link DemoStandIn#listen})
 * started once its settings are bound, stopped with the hub.
 */
public abstract class DemoServer implements InitializingBean, DisposableBean {
    private HttpServer server;

    /** Loads what it serves and starts listening; returns the server, started. */
    protected abstract HttpServer start() throws IOException;

    @Override
    public final void afterPropertiesSet() throws IOException {
        server = start();
    }

    @Override
    public void destroy() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Where it listens (127.0.0.1 and the port it was given, or the one it got for 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }
}

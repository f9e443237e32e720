package yingyan.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP forwarder in front of a real server that a test can close and open again: closed, nothing
 * listens on its port (connections are refused) and every forwarded connection is cut, as when the
 * fund centre's database goes away; open, it forwards again. The shared server itself is never touched.
 * <p>
 * Frozen ({@link #freeze()}, or {@link #freezeAfter} a given message), it is a network that went silent: no
 * connection is cut, no byte goes either way, and a new connection is taken and then hears nothing. After
 * {@link #thaw()} new connections are forwarded again, but the ones frozen stay silent for good, both ends
 * open: the half-open connections a dead router or a suspended VM leaves behind.
 */
public final class TcpGate implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Connections that went silent: never forwarded again, closed only with the gate. */
    private final Set<Socket> frozen = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private volatile boolean freezing;
    private volatile byte[] freezeAfter;

    public TcpGate(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public synchronized void open() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        server = s;
        daemon("gate-accept-" + port, () -> accept(s));
    }

    /** Stops listening and cuts every forwarded connection. */
    public synchronized void shut() {
        if (server != null) {
            quietly(server);
            server = null;
        }
        sockets.forEach(TcpGate::quietly);
        sockets.clear();
    }

    /** From now on nothing goes through: every connection, open or new, falls silent (none is cut). */
    public void freeze() {
        freezing = true;
    }

    /**
     * Freezes the moment a client sends a message containing {@code marker} (after forwarding it, so the server
     * acts on it and its answer is what falls silent), e.g. a statement that takes a lock.
     */
    public void freezeAfter(String marker) {
        freezeAfter = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean frozen() {
        return freezing;
    }

    /** New connections are forwarded again; the frozen ones stay silent. */
    public void thaw() {
        freezing = false;
    }

    @Override
    public void close() {
        shut();
        frozen.forEach(TcpGate::quietly);
        frozen.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream;
                try {
                    upstream = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    quietly(client);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean silent = new AtomicBoolean(); // one connection: both directions fall silent together
                daemon("gate-up-" + port, () -> pump(client, upstream, true, silent));
                daemon("gate-down-" + port, () -> pump(upstream, client, false, silent));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient, AtomicBoolean silent) {
        byte[] buf = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (freezing || silent.get()) {
                    silent.set(true);
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
                byte[] marker = freezeAfter;
                if (fromClient && marker != null && contains(buf, n, marker)) {
                    freezeAfter = null;
                    freezing = true;
                }
            }
        } catch (IOException e) {
            // cut: close both ends below
        }
        if (silent.get()) {
            // Both ends stay open and unanswered: whoever waits on them waits until its own timeout.
            frozen.add(from);
            frozen.add(to);
            sockets.remove(from);
            sockets.remove(to);
            swallow(from);
        } else {
            quietly(from);
            quietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    /** Reads and drops whatever still comes from a frozen connection, until its owner gives up on it. */
    private static void swallow(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            while (in.read(buf) >= 0) {
                // dropped: the network is silent
            }
        } catch (IOException e) {
            // the owner closed it
        }
    }

    private static boolean contains(byte[] buf, int n, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= n; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buf[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }
}

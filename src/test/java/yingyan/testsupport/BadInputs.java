package yingyan.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** The bad inputs the bad-input tests send through every entry point, made on the fly (never committed). */
public final class BadInputs {
    /** Bytes that are not UTF-8: a lone continuation byte, a truncated 2-byte sequence, 0xFF. */
    public static final byte[] NOT_UTF8 = {(byte) 0x80, (byte) 0xC3, 0x28, (byte) 0xFF};
    /** Bytes that are not GBK/GB18030: a lead byte followed by a control character, and 0xFF. */
    public static final byte[] NOT_GBK = {(byte) 0x81, 0x09, (byte) 0xFF};
    /** Formula-like text a spreadsheet would run (OWASP CSV injection), one per leading character. */
    public static final String[] FORMULAS = {"=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd",
        "\t=1+1", "\r=1+1"};

    private BadInputs() {
    }

    /** A JSON value nested {@code depth} arrays deep: {@code [[[...]]]}. */
    public static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** A JSON value nested {@code depth} objects deep: {@code {"a":{"a":...{}}}}. */
    public static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** {@code n} ASCII characters, a string too long for any field. */
    public static String longText(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    /** Concatenates text (UTF-8) and raw byte arrays. */
    public static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof byte[] raw ? raw : String.valueOf(p).getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    /** A loopback HTTP server answering 200 with {@code answer(uri)} as JSON on {@code path}; close it after. */
    public static HttpServer serve(String path, Function<URI, byte[]> answer) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext(path, ex -> {
                try (ex) {
                    byte[] body = answer.apply(ex.getRequestURI());
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String baseUrl(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }
}

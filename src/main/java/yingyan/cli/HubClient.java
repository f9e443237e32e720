package yingyan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import yingyan.canonical.JsonLimits;

/**
 * The command line's side of the hub's HTTP API: HTTP Basic as the operator, JSON in and out, and the
 * hub's refusals turned into sentences (not reachable, wrong password, missing role, problem details).
 */
final class HubClient {
    private static final ObjectMapper JSON = JsonLimits.mapper();

    private final String base;
    private final String user;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    HubClient(String url, String user, char[] password) {
        String u = url.trim();
        this.base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        this.user = user;
        byte[] credential = (user + ":" + new String(password)).getBytes(StandardCharsets.UTF_8);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credential);
        Arrays.fill(password, '\0');
        Arrays.fill(credential, (byte) 0);
    }

    String base() {
        return base;
    }

    /** A read; any answer but 2xx (or one of {@code alsoOk}) is a failure with the hub's reason. */
    JsonNode get(String pathAndQuery, int... alsoOk) {
        Response r = send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
        if (r.ok()) {
            return r.body();
        }
        for (int s : alsoOk) {
            if (r.status() == s) {
                return r.body();
            }
        }
        throw new CliFailure(1, "GET " + pathAndQuery + " answered " + r.status() + ": " + r.reason());
    }

    /** An action; the answer (whatever its status) is the caller's to judge, except an unknown user or role. */
    Response post(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A field of an answer as text; absent and JSON null are null. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private URI uri(String pathAndQuery) {
        try {
            return URI.create(base + pathAndQuery);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(2, "--url " + base + " is not a URL: " + e.getMessage());
        }
    }

    private Response send(HttpRequest.Builder b) {
        HttpRequest request = b.header("Authorization", authorization).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60)).build();
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliFailure(2, "cannot reach the hub at " + base + " (" + describe(e) + "): is it running,"
                    + " and is --url right?");
        } catch (HttpTimeoutException e) {
            throw new CliFailure(2, "the hub at " + base + " did not answer " + request.method() + " "
                    + request.uri().getPath() + " within 60 s");
        } catch (IOException e) {
            throw new CliFailure(2, "talking to the hub at " + base + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(2, "interrupted");
        }
        JsonNode body = parse(answer.body());
        int status = answer.statusCode();
        if (status == 401) {
            throw new CliFailure(2, "the hub at " + base + " refused the password of user '" + user + "' (401)");
        }
        if (status == 403) {
            throw new CliFailure(2, "user '" + user + "' may not " + request.method() + " " + request.uri().getPath()
                    + " (403): " + (Set.of("POST", "PUT", "DELETE").contains(request.method())
                    ? "it needs the role OPERATOR" : "it needs the role VIEWER"));
        }
        return new Response(status, body);
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (out.indexOf(m) < 0) {
                out.append(out.length() == 0 ? "" : ": ").append(m);
            }
        }
        return out.toString();
    }

    /** An answer: its status and JSON body (a problem detail for refusals). */
    record Response(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The hub's own words for a refusal: the problem detail's {@code detail}, else the body. */
        String reason() {
            if (body.hasNonNull("detail")) {
                return body.get("detail").asText();
            }
            return body.isMissingNode() ? "(no body)" : body.isTextual() ? body.asText() : body.toString();
        }
    }
}

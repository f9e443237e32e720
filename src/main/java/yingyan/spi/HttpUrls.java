package yingyan.spi;

import java.net.URI;

/** Checks adapters apply to the base URLs of the HTTP systems they read. */
public final class HttpUrls {
    private HttpUrls() {
    }

    /** True for an absolute http or https URL with a host, e.g. {@code http://approvals.example:8080}. */
    public static boolean isAbsoluteHttp(String url) {
        try {
            URI u = URI.create(url == null ? "" : url.trim());
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

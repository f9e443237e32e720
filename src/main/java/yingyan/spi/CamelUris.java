package yingyan.spi;

/** Helpers for the endpoint URIs adapters build from configuration. */
public final class CamelUris {
    private CamelUris() {
    }

    /**
     * A parameter value Camel takes literally (no URI decoding): paths with spaces, any password.
     * {@code RAW(...)} ends at a ')' , so a value holding one is wrapped as {@code RAW{...}}.
     */
    public static String raw(String value) {
        return value.indexOf(')') < 0 ? "RAW(" + value + ")" : "RAW{" + value + "}";
    }
}

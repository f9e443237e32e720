package yingyan.web;

/** A request refused because of one of its parameters; the problem details name it in {@code field}. */
public abstract class ParameterException extends RuntimeException {
    private final String field;

    protected ParameterException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

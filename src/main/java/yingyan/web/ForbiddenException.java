package yingyan.web;

/** The caller is authenticated but asks for something outside its grants; answered as a 403 problem. */
public class ForbiddenException extends RuntimeException {
    private final String field;

    public ForbiddenException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

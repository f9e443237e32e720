package yingyan.web;

/** A request parameter is wrong; answered as RFC 9457 problem details naming the field. */
public class BadRequestException extends RuntimeException {
    private final String field;

    public BadRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

package yingyan.web;

/** A request parameter is wrong; answered as RFC 9457 problem details naming the field. */
public class BadRequestException extends ParameterException {
    public BadRequestException(String field, String message) {
        super(field, message);
    }
}

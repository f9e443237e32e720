package yingyan.web;

/** The caller is authenticated but asks for something outside its grants; answered as a 403 problem. */
public class ForbiddenException extends ParameterException {
    public ForbiddenException(String field, String message) {
        super(field, message);
    }
}

package yingyan.web;

/** The requested thing does not exist; answered as a 404 problem. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}

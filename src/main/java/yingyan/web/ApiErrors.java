package yingyan.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the hub's API as RFC 9457 problem details. */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler(BadRequestException.class)
    ProblemDetail badRequest(BadRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request parameter", e);
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, "Not granted", e);
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e);
    }

    /** The exception's message as the detail; a parameter's problem also names the parameter in {@code field}. */
    private static ProblemDetail problem(HttpStatus status, String title, RuntimeException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        p.setTitle(title);
        if (e instanceof ParameterException refused) {
            p.setProperty("field", refused.field());
        }
        return p;
    }
}

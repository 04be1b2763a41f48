package dev.cnnensemble.web;

import dev.cnnensemble.support.Problems;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container sends to its error page (a TRACE, a request no handler saw, an error
 * after the response was handed on) as a problem detail too, in place of Spring Boot's older JSON.
 * Nothing of the failure's internals is shown: only the status and its reason.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null ? HttpStatus.valueOf(value)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail problem = Problems.of(status, status.getReasonPhrase(), detail(status, request));
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            Problems.at(problem, uri);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String detail(HttpStatus status, HttpServletRequest request) {
        return switch (status) {
            // The error page is dispatched as a GET: the method refused is in the error's attributes (Servlet 6.1).
            case METHOD_NOT_ALLOWED -> "the method " + (request.getAttribute(RequestDispatcher.ERROR_METHOD) instanceof String method
                    ? method : request.getMethod()) + " is not allowed here";
            case NOT_FOUND -> "no resource at this path";
            default -> status.is5xxServerError() ? "the service failed to answer; the log has the details" : status.getReasonPhrase();
        };
    }
}

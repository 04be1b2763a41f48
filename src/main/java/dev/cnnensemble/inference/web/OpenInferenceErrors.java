package dev.cnnensemble.inference.web;

import dev.cnnensemble.inference.InferenceExceptions.Overloaded;

import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The Open Inference Protocol's errors: {@code {"error": "..."}} with the status that the service's
 * problem detail for the same failure has. Only for {@link OpenInferenceController}; everything else
 * keeps RFC 9457 problem details.
 */
@RestControllerAdvice(assignableTypes = OpenInferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenInferenceErrors {

    @ExceptionHandler(OpenInferenceController.BadTensor.class)
    ResponseEntity<Map<String, String>> badTensor(OpenInferenceController.BadTensor e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage(), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        return error(HttpStatus.BAD_REQUEST, "the body is not an inference request: send JSON with an inputs array", HttpHeaders.EMPTY);
    }

    /**
     * The features' own errors (unknown model 404, not trained 409, too large 413, overloaded 503) and
     * Spring MVC's (an unsupported media type, a wrong method), all of which carry their status.
     */
    @ExceptionHandler({ErrorResponseException.class, HttpMediaTypeNotSupportedException.class, HttpRequestMethodNotSupportedException.class,
            HttpMediaTypeNotAcceptableException.class})
    ResponseEntity<Map<String, String>> withStatus(Exception exception) {
        ErrorResponse e = (ErrorResponse) exception;
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(e.getHeaders());
        if (e instanceof Overloaded overloaded) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(overloaded.retryAfterSeconds()));
        }
        String detail = e.getBody().getDetail();
        return error(e.getStatusCode(), detail == null ? String.valueOf(e.getBody().getTitle()) : detail, headers);
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatusCode status, String message, HttpHeaders headers) {
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
    }
}

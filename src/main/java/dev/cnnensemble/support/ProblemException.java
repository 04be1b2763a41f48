package dev.cnnensemble.support;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A feature's error as an RFC 9457 problem detail: its status, a title for its kind, and its message
 * as the detail. Spring renders it as it is, so no handler needs to know the feature.
 */
public class ProblemException extends ErrorResponseException {

    public ProblemException(HttpStatus status, String title, String detail) {
        super(status, Problems.of(status, title, detail), null);
    }

    /** The detail alone, for logs and callers, rather than the status and the whole body. */
    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}

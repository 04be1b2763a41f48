package dev.cnnensemble.web;

import dev.cnnensemble.support.Problems;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's own error report, for requests it refuses before Spring sees them (a malformed or
 * encoded path, a NUL, an oversized URL or header), and for error statuses sent without a body:
 * a problem detail instead of an HTML page.
 * Like Tomcat's valve it shows no stack trace and no server version.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final StringManager TOMCAT_REASONS = StringManager.getManager("org.apache.catalina.valves");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (status < 400 || response.getContentWritten() > 0 || !writable.get()) {
            return;
        }
        String reason = reason(status);
        // Also the status of a response that has no body of its own (the actuator's 404, a 406 for an unreadable Accept).
        ProblemDetail problem = Problems.of(HttpStatusCode.valueOf(status), reason, status == 400
                ? "the server refused the request before reading it: a malformed or encoded path, a control character, or an oversized URL or header"
                : reason);
        try {
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot take a body: nothing more to tell.
        }
    }

    private static String reason(int status) {
        String reason = TOMCAT_REASONS.getString("http." + status + ".reason");
        return reason != null && !reason.startsWith("http.") ? reason : "Error " + status;
    }
}

package dev.cnnensemble.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;

import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error report, for requests it refuses before Spring sees them (a malformed or
 * encoded path, a NUL, an oversized URL or header), and for error statuses sent without a body:
 * a problem detail instead of an HTML page.
 * Like Tomcat's valve it shows no stack trace and no server version.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final StringManager TOMCAT_REASONS = StringManager.getManager("org.apache.catalina.valves");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (status < 400 || response.getContentWritten() > 0 || !writable.get()) {
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", reason(status));
        problem.put("status", status);
        // Also the status of a response that has no body of its own (the actuator's 404, a 406 for an unreadable Accept).
        problem.put("detail", status == 400
                ? "the server refused the request before reading it: a malformed or encoded path, a control character, or an oversized URL or header"
                : reason(status));
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
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

package dev.cnnensemble.security;

import dev.cnnensemble.support.Problems;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

/** Spring's CORS checks, with a refused cross-origin request answered as a problem detail rather than plain text. */
final class ProblemCorsProcessor extends DefaultCorsProcessor {

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(Problems.json(Problems.of(HttpStatus.FORBIDDEN, "Cross-origin request refused",
                "this origin, method or header is not allowed; cnn.security.cors.allowed-origins lists the origins that may call the API"))
                .getBytes(StandardCharsets.UTF_8));
        response.flush();
    }
}

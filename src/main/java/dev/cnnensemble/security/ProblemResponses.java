package dev.cnnensemble.security;

import dev.cnnensemble.support.Problems;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem details, with the {@code WWW-Authenticate} challenge of RFC 6750: no
 * credentials, credentials that are not valid, or valid ones without the role the request needs.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String REALM = "Bearer realm=\"cnn-ensemble\"";

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) throws IOException {
        boolean missing = failure instanceof InsufficientAuthenticationException;
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, missing ? REALM
                : REALM + ", error=\"invalid_token\", error_description=\"not a known API key, nor a valid JWT\"");
        write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "Authentication required", missing
                ? request.getMethod() + " " + request.getRequestURI() + " needs credentials: send 'Authorization: Bearer <key>' "
                        + "with an API key (or the generated one in <data-dir>/api-key), or a JWT"
                : "the bearer token is neither a known API key nor a valid, unexpired JWT"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String roles = who == null ? "none" : who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(authority -> authority.replaceFirst("^ROLE_", "").toLowerCase()).collect(Collectors.joining(", "));
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"insufficient_scope\"");
        write(request, response, Problems.of(HttpStatus.FORBIDDEN, "Not allowed", "'" + (who == null ? "anonymous" : who.getName())
                + "' (roles: " + (roles.isEmpty() ? "none" : roles) + ") may not " + request.getMethod() + " " + request.getRequestURI()
                + "; changes need the role admin, and predictions the role predict"));
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        write(response, Problems.at(problem, request.getRequestURI()));
    }

    static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(Problems.MEDIA_TYPE);
        response.getOutputStream().write(Problems.json(problem).getBytes(StandardCharsets.UTF_8));
    }
}

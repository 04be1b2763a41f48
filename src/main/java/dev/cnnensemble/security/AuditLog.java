package dev.cnnensemble.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line for every mutating request, allowed or not: who (the API key's name or the token's
 * subject), the method, the path, the job, model or dataset it names, and the status. The fields are
 * key-value pairs, so the {@code json} logging profile writes each as a field of its own.
 * It runs inside the security filters, where the caller is known, around everything after them.
 */
final class AuditLog extends OncePerRequestFilter {

    static final String LOGGER = "dev.cnnensemble.audit";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final Pattern RESOURCE = Pattern.compile("^/(?:jobs|models|datasets)/([^/]+)");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !AccessRules.isChange(request.getMethod(), request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            String who = who(SecurityContextHolder.getContext().getAuthentication(), request.getHeader(HttpHeaders.AUTHORIZATION) != null);
            String resource = resource(request, response);
            log.atInfo().addKeyValue("audit.who", who).addKeyValue("audit.method", request.getMethod())
                    .addKeyValue("audit.path", request.getRequestURI()).addKeyValue("audit.resource", resource)
                    .addKeyValue("audit.status", response.getStatus())
                    .log("{} {} {} -> {}{}", who, request.getMethod(), request.getRequestURI(), response.getStatus(),
                            resource == null ? "" : " (" + resource + ")");
        }
    }

    private static String who(@Nullable Authentication authentication, boolean sentCredentials) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return sentCredentials ? "invalid-credentials" : "anonymous";
        }
        return authentication.getName();
    }

    /** The id in the path, or in the Location (a new job) or Content-Location (the new default model) of the response. */
    private static @Nullable String resource(HttpServletRequest request, HttpServletResponse response) {
        for (String path : new String[] {response.getHeader(HttpHeaders.LOCATION), response.getHeader(HttpHeaders.CONTENT_LOCATION),
                request.getRequestURI()}) {
            Matcher matcher = path == null ? null : RESOURCE.matcher(path);
            if (matcher != null && matcher.find() && !matcher.group(1).equals("default")) {
                return matcher.group(1);
            }
        }
        return null;
    }
}

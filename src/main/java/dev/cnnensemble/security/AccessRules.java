package dev.cnnensemble.security;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a request needs, decided from its method and path alone: the one rule that both the filter
 * chain enforces and the OpenAPI document declares, so the two cannot disagree.
 */
final class AccessRules {

    /** What a request needs. */
    enum Access {
        /** Nothing: anyone. */
        OPEN,
        /** Any valid key or token. */
        AUTHENTICATED,
        /** The role predict (or admin, which implies it). */
        PREDICT,
        /** The role admin. */
        ADMIN
    }

    /** Paths that predict rather than change anything, ours and the Open Inference Protocol's: open, or the role predict. */
    private static final Pattern PREDICTIONS = Pattern.compile("/predict|/v2/models/[^/]+(/versions/[^/]+)?/infer");

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    /** Probes, the API's own description and the README stay open whatever the configuration: they hold no data. */
    private static final List<String> ALWAYS_OPEN = List.of("/actuator/health", "/actuator/info", "/v3/api-docs",
            "/swagger-ui.html", "/swagger-ui/", "/README.md", "/error", "/ui/", "/webjars/");
    /** The web UI's pages, open like Swagger UI: what they show comes from the API, with the key the user enters. */
    private static final Set<String> UI_PAGES = Set.of("/", "/index.html", "/job.html", "/models.html", "/model.html", "/playground.html");

    private final boolean openReads;
    private final boolean openPredict;

    AccessRules(SecurityProperties security) {
        this.openReads = security.openReads();
        this.openPredict = security.openPredict();
    }

    Access required(String method, String path) {
        if (READS.contains(method)) {
            return openReads || UI_PAGES.contains(path) || ALWAYS_OPEN.stream().anyMatch(open -> path.equals(open) || path.startsWith(open.endsWith("/") ? open : open + "/"))
                    ? Access.OPEN : Access.AUTHENTICATED;
        }
        if (method.equals("POST") && isPrediction(path)) {
            return openPredict ? Access.OPEN : Access.PREDICT;
        }
        return Access.ADMIN;
    }

    static boolean isChange(String method, String path) {
        return !READS.contains(method) && !method.equals("TRACE") && !isPrediction(path);
    }

    static boolean isPrediction(String path) {
        return PREDICTIONS.matcher(path).matches();
    }
}

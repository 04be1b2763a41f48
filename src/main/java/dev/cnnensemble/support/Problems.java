package dev.cnnensemble.support;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problem details, as every feature's errors and the web edge build them. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    /** The problem with the path it happened at as its instance, unless java.net.URI refuses that path. */
    public static ProblemDetail at(ProblemDetail problem, String path) {
        try {
            problem.setInstance(URI.create(path));
        } catch (IllegalArgumentException notAUri) {
            // A path the server let through but java.net.URI refuses: the problem goes without its instance.
        }
        return problem;
    }

    /**
     * The problem as Spring MVC writes it, for the places that answer before Spring MVC does (the
     * servlet container, the security filters): the standard members, then the extension members.
     */
    public static String json(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType() != null ? problem.getType().toString() : "about:blank");
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return JSON.writeValueAsString(members);
    }
}

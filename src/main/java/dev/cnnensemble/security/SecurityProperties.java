package dev.cnnensemble.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled     whether requests are authenticated at all; off only for local trials
 * @param openReads   whether anyone may read (GET): jobs, models, datasets, metrics
 * @param openPredict whether anyone may call {@code POST /predict}
 * @param apiKeys     the keys, each {@code name:role:key}; none and no JWT issuer: one admin key is
 *                    generated into {@code <data-dir>/api-key}
 * @param jwt         how roles are read from a JWT, when a {@code spring.security.oauth2.resourceserver.jwt} issuer is set
 * @param cors        the origins that browsers may call the API from; none by default
 */
@ConfigurationProperties("cnn.security")
public record SecurityProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("true") boolean openReads,
        @DefaultValue("true") boolean openPredict,
        @DefaultValue List<ApiKey> apiKeys,
        @DefaultValue Jwt jwt,
        @DefaultValue Cors cors) {

    /** @param rolesClaim the claim that lists a token's roles ({@code admin}, {@code predict}), as a list or space-separated */
    public record Jwt(@DefaultValue("scope") String rolesClaim) {
    }

    /** @param allowedOrigins e.g. {@code https://notebooks.example.org}; empty: no cross-origin calls */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }
}

package dev.cnnensemble.security;

import dev.cnnensemble.config.CnnProperties;
import dev.cnnensemble.support.Problems;
import dev.cnnensemble.security.AccessRules.Access;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * The filter chain: bearer tokens (API keys, and JWTs when an issuer is configured), the access
 * rules, problem details for 401 and 403, the audit log, CORS and the security headers. There are no
 * sessions and no cookies: every request carries its own credentials, so CSRF cannot apply.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    /** Same-origin everything; inline styles for Swagger UI; images as data URIs for its icons and for digits. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain api(HttpSecurity http, SecurityProperties security, CnnProperties cnn, ObjectProvider<JwtDecoder> jwt,
                            RoleHierarchy roles) {
        ProblemResponses problems = new ProblemResponses();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterAfter(cors(security.cors()), HeaderWriterFilter.class)
                .addFilterBefore(new AuditLog(), BearerTokenAuthenticationFilter.class);
        if (!security.enabled()) {
            log.warn("Authentication is off (cnn.security.enabled=false): anyone who reaches this port may train, delete and predict");
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
        JwtDecoder tokens = jwt.getIfAvailable();
        ApiKeys keys = ApiKeys.of(security, cnn.dataDir(), tokens != null);
        ProviderManager authentication = new ProviderManager(providers(keys, tokens, security.jwt()));
        AccessRules rules = new AccessRules(security);
        Map<Access, AuthorizationManager<RequestAuthorizationContext>> managers = Map.of(
                Access.OPEN, (who, context) -> new AuthorizationDecision(true),
                Access.AUTHENTICATED, AuthenticatedAuthorizationManager.authenticated(),
                Access.PREDICT, hasRole(Role.PREDICT, roles),
                Access.ADMIN, hasRole(Role.ADMIN, roles));
        return http
                .oauth2ResourceServer(bearer -> bearer.authenticationManagerResolver(request -> authentication)
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(requests -> requests
                        // An error page or an async dispatch belongs to a request that was already let in.
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .anyRequest().access((who, context) -> managers.get(rules.required(
                                context.getRequest().getMethod(), path(context.getRequest()))).authorize(who, context)))
                .build();
    }

    /**
     * Spring Security's checks on the raw request (encoded slashes and dots, control characters, a
     * semicolon), except its list of methods: an unknown method reaches Spring MVC, which answers 405.
     */
    @Bean
    static HttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        return firewall;
    }

    /** A request the firewall refuses gets its reason as a problem detail, written at once rather than through the error page. */
    @Bean
    static RequestRejectedHandler refusedRequests() {
        return (request, response, refused) -> ProblemResponses.write(response, Problems.of(HttpStatus.BAD_REQUEST, "Bad request",
                "the request was refused: " + refused.getMessage()));
    }

    /**
     * No observation of Spring Security's own steps: a timer around every filter, authentication and
     * authorization took 12% of a prediction's request time under {@code bench/profile http}.
     * {@code http.server.requests} still times every request, refused ones included.
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** An admin may do everything a predict key may. */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role(Role.ADMIN.name()).implies(Role.PREDICT.name()).build();
    }

    private static AuthorizationManager<RequestAuthorizationContext> hasRole(Role role, RoleHierarchy roles) {
        AuthorityAuthorizationManager<RequestAuthorizationContext> manager = AuthorityAuthorizationManager.hasRole(role.name());
        manager.setRoleHierarchy(roles);
        return manager;
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static List<AuthenticationProvider> providers(ApiKeys keys, @Nullable JwtDecoder jwt, SecurityProperties.Jwt settings) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        if (!keys.isEmpty()) {
            providers.add(new ApiKeyAuthenticationProvider(keys));
        }
        if (jwt != null) {
            JwtAuthenticationConverter roles = new JwtAuthenticationConverter();
            roles.setJwtGrantedAuthoritiesConverter(token -> roles(token.getClaim(settings.rolesClaim())));
            JwtAuthenticationProvider tokens = new JwtAuthenticationProvider(jwt);
            tokens.setJwtAuthenticationConverter(roles);
            providers.add(tokens);
            log.info("JWTs are accepted; their roles are read from the claim '{}'", settings.rolesClaim());
        }
        return providers;
    }

    /** The roles a token names, as a list or space-separated like OAuth 2 scopes; other values are ignored. */
    static Collection<GrantedAuthority> roles(@Nullable Object claim) {
        Stream<String> values = claim instanceof Collection<?> list ? list.stream().map(String::valueOf)
                : claim instanceof String text ? Stream.of(text.split("\\s+")) : Stream.empty();
        return values.map(Role::named).flatMap(Optional::stream).map(Role::authority).toList();
    }

    /** Off unless origins are configured; a refused cross-origin request gets a problem detail. */
    private static CorsFilter cors(SecurityProperties.Cors settings) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!settings.allowedOrigins().isEmpty()) {
            CorsConfiguration origins = new CorsConfiguration();
            origins.setAllowedOrigins(settings.allowedOrigins());
            origins.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "DELETE"));
            origins.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"));
            origins.setExposedHeaders(List.of("Location", "Content-Location", "Retry-After", "Idempotent-Replayed", "ETag"));
            origins.setMaxAge(3600L);
            source.registerCorsConfiguration("/**", origins);
        }
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new ProblemCorsProcessor());
        return filter;
    }
}

package dev.cnnensemble.security;

import dev.cnnensemble.security.AccessRules.Access;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bearer scheme in the OpenAPI document, on exactly the operations that the access rules
 * protect, so that Swagger UI's "Authorize" button sends the key where it is needed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityOpenApi {

    static final String SCHEME = "bearer";

    @Bean
    OpenApiCustomizer bearerScheme(SecurityProperties security) {
        AccessRules rules = new AccessRules(security);
        return api -> {
            if (!security.enabled()) {
                return;
            }
            Components components = api.getComponents() != null ? api.getComponents() : new Components();
            api.setComponents(components.addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("An API key (cnn.security.api-keys; without one, the service generates an admin key into "
                            + "<data-dir>/api-key), or a JWT when an issuer is configured. Roles: admin for every change, "
                            + "predict for predictions when they are not open.")));
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (rules.required(method.name(), path) != Access.OPEN) {
                    operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
                }
            }));
        };
    }
}

package dev.cnnensemble.security;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * An API key written on one line, {@code name:role:key}, so that all keys fit in one environment
 * variable: {@code CNN_SECURITY_API_KEYS=ci:admin:<key>,grafana:predict:<key>}. The key comes last
 * and may itself contain colons.
 */
@Component
@ConfigurationPropertiesBinding
class ApiKeyConverter implements Converter<String, ApiKey> {

    @Override
    public ApiKey convert(String source) {
        String[] parts = source.trim().split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("an API key is written name:role:key (role admin or predict)");
        }
        Role role = Role.named(parts[1]).orElseThrow(() -> new IllegalArgumentException(
                "the API key named '" + parts[0] + "' has the role '" + parts[1] + "'; the roles are admin and predict"));
        return new ApiKey(parts[0], role, parts[2]);
    }
}

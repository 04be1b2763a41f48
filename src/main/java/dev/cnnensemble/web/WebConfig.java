package dev.cnnensemble.web;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Request parameters bind like configuration: enums by any case and with dashes ({@code invert=auto}).
 * JSON bodies may send a number as a string ({@code "seed": "541443718512448028"}), but not an empty one.
 */
@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        ApplicationConversionService.addApplicationConverters(registry);
    }

    /** Jackson reads {@code ""} as null, which would silently train with the default: it is an error instead. */
    @Bean
    JsonMapperBuilderCustomizer emptyStringIsNotANumber() {
        return builder -> {
            builder.withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
            builder.withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
        };
    }
}

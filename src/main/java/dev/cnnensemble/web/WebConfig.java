package dev.cnnensemble.web;

import dev.cnnensemble.support.ProblemException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Request parameters bind like configuration: enums by any case and with dashes ({@code invert=auto}).
 * JSON bodies may send a number as a string ({@code "seed": "541443718512448028"}), but not an empty one.
 * A body in a content coding (gzip, ...) is refused with 415, as RFC 9110 suggests, rather than read as
 * if it were plain, which fails as "not valid JSON".
 */
@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        ApplicationConversionService.addApplicationConverters(registry);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
                if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
                    ProblemException refused = new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content coding",
                            "the body is in the content coding '" + coding + "'; send it uncompressed, without Content-Encoding");
                    refused.getHeaders().set(HttpHeaders.ACCEPT_ENCODING, "identity");
                    throw refused;
                }
                return true;
            }
        });
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

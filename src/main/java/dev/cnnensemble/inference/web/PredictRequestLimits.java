package dev.cnnensemble.inference.web;

import dev.cnnensemble.inference.InferenceExceptions.LengthRequired;
import dev.cnnensemble.inference.InferenceExceptions.TooLarge;
import dev.cnnensemble.inference.InferenceProperties;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bounds a JSON prediction request by its Content-Length before a byte of it is read. (Tomcat bounds
 * multipart uploads itself, through {@code spring.servlet.multipart.*}.) It enables its properties
 * itself because every {@code @WebMvcTest} loads it, and there the application's
 * {@code @ConfigurationPropertiesScan} skips them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InferenceProperties.class)
class PredictRequestLimits implements WebMvcConfigurer, HandlerInterceptor {

    private final InferenceProperties properties;

    PredictRequestLimits(InferenceProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/predict");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String type = request.getContentType();
        if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(type))) {
            return true;
        }
        long length = request.getContentLengthLong();
        long max = properties.maxRequestSize().toBytes();
        if (length < 0) {
            throw new LengthRequired("a JSON prediction request needs a Content-Length header (at most " + max + " bytes)");
        }
        if (length > max) {
            throw new TooLarge("the request has " + length + " bytes; at most " + max + " are allowed (cnn.inference.max-request-size)");
        }
        return true;
    }
}

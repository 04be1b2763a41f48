package dev.cnnensemble.inference.web;

import dev.cnnensemble.inference.InferenceExceptions.LengthRequired;
import dev.cnnensemble.inference.InferenceExceptions.TooLarge;
import dev.cnnensemble.inference.InferenceProperties;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bounds a prediction request by its Content-Length before a byte of it is read (a JSON body, or an
 * image as the whole body, needs one), and a multipart one's images before they are decoded: Tomcat's
 * own multipart bounds are the larger ones of dataset uploads.
 * It enables its properties itself because every {@code @WebMvcTest} loads it, and there the
 * application's {@code @ConfigurationPropertiesScan} skips them.
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
        long length = request.getContentLengthLong();
        long max = properties.maxRequestSize().toBytes();
        if (length > max) {
            throw new TooLarge("the request has " + length + " bytes; at most " + max + " are allowed (cnn.inference.max-request-size)");
        }
        if (request instanceof MultipartHttpServletRequest multipart) {
            // Chunked uploads have no length to check up front: their parts are counted once parsed.
            checkImages(multipart, max);
            return true;
        }
        // The other bodies are read whole into memory, so their length must be known, and bounded, up front.
        String header = request.getContentType();
        MediaType type = header == null ? null : MediaType.parseMediaType(header);
        if (type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type) && length < 0) {
            throw new LengthRequired("a JSON prediction request needs a Content-Length header (at most " + max + " bytes)");
        }
        if (type != null && "image".equals(type.getType())) {
            long maxImage = properties.maxImageSize().toBytes();
            if (length < 0) {
                throw new LengthRequired("an image sent as the request body needs a Content-Length header (at most " + maxImage + " bytes)");
            }
            if (length > maxImage) {
                throw new TooLarge("the image has " + length + " bytes; an image may have at most " + maxImage + " (cnn.inference.max-image-size)");
            }
        }
        return true;
    }

    private void checkImages(MultipartHttpServletRequest multipart, long max) {
        long maxImage = properties.maxImageSize().toBytes();
        long total = 0;
        for (List<MultipartFile> files : multipart.getMultiFileMap().values()) {
            for (MultipartFile file : files) {
                if (file.getSize() > maxImage) {
                    throw new TooLarge(file.getName() + " (" + file.getOriginalFilename() + ") has " + file.getSize() + " bytes; an image may have at most "
                            + maxImage + " (cnn.inference.max-image-size)");
                }
                total += file.getSize();
            }
        }
        if (total > max) {
            throw new TooLarge("the images have " + total + " bytes; at most " + max + " are allowed (cnn.inference.max-request-size)");
        }
    }
}

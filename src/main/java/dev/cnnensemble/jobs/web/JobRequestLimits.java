package dev.cnnensemble.jobs.web;

import dev.cnnensemble.jobs.JobExceptions.RequestTooLarge;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bounds the body of {@code POST /jobs} by its Content-Length before a byte of it is read: a job request
 * is a few hundred bytes, and without a bound a 40 MB one would be read, parsed and kept in memory.
 */
@Configuration(proxyBeanMethods = false)
class JobRequestLimits implements WebMvcConfigurer, HandlerInterceptor {

    /** Far above any real request: every field at its longest is about 2 KB. */
    static final long MAX_BYTES = 64 * 1024;

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/jobs");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        long length = request.getContentLengthLong();
        if ("POST".equals(request.getMethod()) && length > MAX_BYTES) {
            throw new RequestTooLarge("the request has " + length + " bytes; a job request may have at most " + MAX_BYTES);
        }
        return true;
    }
}

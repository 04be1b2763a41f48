package dev.cnnensemble.inference.web;

import io.swagger.v3.oas.models.examples.Example;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * What annotations cannot say of /predict: its image schema (two shapes of array, which no Java type
 * describes), and the JSON form's example, which springdoc drops when it merges the two forms of the
 * one operation.
 */
@Configuration(proxyBeanMethods = false)
class PredictOpenApi {

    @Bean
    OpenApiCustomizer predictDocumentation() {
        return api -> {
            api.getComponents().addSchemas(PixelImages.SCHEMA, PixelImages.schema());
            api.getPaths().get("/predict").getPost().getRequestBody().getContent().get(MediaType.APPLICATION_JSON_VALUE)
                    .addExamples("mnist-seven", new Example().$ref("#/components/examples/mnist-seven"));
        };
    }
}

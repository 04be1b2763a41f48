package dev.cnnensemble.web;

import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The OpenAPI document's title, version and description, and its shared examples. Each example is a
 * file under {@code openapi/examples}, named as operations refer to it
 * ({@code #/components/examples/quick-trial}), so that a test can run and validate every one.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String EXAMPLES = "classpath:openapi/examples/*.json";

    private static final String DESCRIPTION = """
            Trains convolutional-network ensembles for 28x28 grayscale images (MNIST, Fashion-MNIST) and serves \
            their averaged predictions.

            1. `POST /jobs` queues a training job (try the *quick-trial* example: 2 members on 6,000 images, \
            one to two minutes on two cores); it answers 202 with the job's id.
            2. `GET /jobs/{id}` or `GET /jobs/{id}/events` follows it until `SUCCEEDED`; the first model becomes \
            the default.
            3. `POST /predict` sends images (PNG, JPEG, GIF, BMP) or pixels, and gets each member's logits averaged.

            Errors are RFC 9457 problem details (`application/problem+json`). The [README](/README.md) has the \
            quick start, the configuration and the deployment.""";

    @Bean
    OpenAPI serviceApi(ObjectProvider<BuildProperties> build) {
        String version = build.stream().map(BuildProperties::getVersion).filter(Objects::nonNull).findFirst().orElse("development");
        return new OpenAPI()
                .info(new Info().title("CNN Ensemble Service").version(version).description(DESCRIPTION))
                .externalDocs(new ExternalDocumentation().description("README: quick start, configuration, deployment").url("/README.md"));
    }

    @Bean
    OpenApiCustomizer sharedExamples() throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources(EXAMPLES);
        return api -> {
            Components components = api.getComponents() != null ? api.getComponents() : new Components();
            for (Resource file : files) {
                String name = Objects.requireNonNull(file.getFilename()).replaceFirst("\\.json$", "");
                components.addExamples(name, read(file));
            }
            api.setComponents(components);
        };
    }

    private static Example read(Resource file) {
        try (InputStream in = file.getInputStream()) {
            return Json31.mapper().readValue(in, Example.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI example " + file, e);
        }
    }
}

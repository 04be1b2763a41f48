package dev.cnnensemble.web;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;

import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Marks a record's {@link Nullable} components as nullable in the OpenAPI document, as JSON Schema
 * says it: {@code "type": ["string", "null"]}, or {@code anyOf} a reference and null. swagger-core
 * reads no JSpecify annotation, and a generated client that types such a field as never null breaks
 * on the first job that has not started yet.
 */
@Component
class NullableProperties implements ModelConverter {

    private static final Schema<?> NULL = new Schema<>().types(Set.of("null"));

    @Override
    public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Schema<?> resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
        if (resolved == null || !raw.isRecord()) {
            return resolved;
        }
        Schema<?> model = resolved.get$ref() != null ? context.getDefinedModels().get(name(resolved.get$ref())) : resolved;
        Map<String, Schema> properties = model == null ? null : model.getProperties();
        if (properties != null) {
            for (RecordComponent component : raw.getRecordComponents()) {
                Schema<?> property = properties.get(component.getName());
                if (property != null && component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                    properties.put(component.getName(), nullable(property));
                }
            }
        }
        return resolved;
    }

    @Override
    public boolean isOpenapi31() {
        return true;
    }

    private static Schema<?> nullable(Schema<?> property) {
        if (property.get$ref() != null) {
            // The reference moves into anyOf; the name is kept, since swagger-core keys unwrapped properties by it.
            return new Schema<>().anyOf(List.of(new Schema<>().$ref(property.get$ref()), NULL))
                    .name(property.getName()).description(property.getDescription());
        }
        Set<String> types = new LinkedHashSet<>();
        if (property.getTypes() != null) {
            types.addAll(property.getTypes());
        } else if (property.getType() != null) {
            types.add(property.getType());
        }
        types.add("null");
        property.setTypes(types);
        return property;
    }

    private static String name(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}

package dev.cnnensemble.inference.web;

import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.inference.web.PredictController.PredictOptions;
import dev.cnnensemble.inference.web.PredictController.Preprocess;

import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.MapBindingResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Binds {@link PredictOptions} from the query string field by field. Spring's binding of a record by its
 * constructor looks the constructor and its parameter names up again on every request: 19% of the
 * request threads' samples under {@code bench/profile http}. Values convert as any parameter does
 * ({@code invert=AUTO} or {@code auto}), and every value that does not is reported at once, as the data
 * binder reports them.
 */
@Configuration(proxyBeanMethods = false)
class PredictOptionsBinding implements WebMvcConfigurer, HandlerMethodArgumentResolver {

    private static final String OBJECT_NAME = "predictOptions";

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == PredictOptions.class;
    }

    @Override
    public PredictOptions resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container, NativeWebRequest request,
                                          @Nullable WebDataBinderFactory binders) throws Exception {
        WebDataBinder binder = Objects.requireNonNull(binders, "a handler method has binders").createBinder(request, null, OBJECT_NAME);
        BindingResult errors = new MapBindingResult(new HashMap<>(), OBJECT_NAME);
        PredictOptions options = new PredictOptions(
                convert("invert", Invert.class, request, binder, errors),
                convert("preprocess", Preprocess.class, request, binder, errors),
                convert("members", Boolean.class, request, binder, errors),
                convert("pixels", Boolean.class, request, binder, errors),
                convert("model", UUID.class, request, binder, errors));
        if (errors.hasErrors()) {
            throw new MethodArgumentNotValidException(parameter, errors);
        }
        return options;
    }

    private static <T> @Nullable T convert(String name, Class<T> type, NativeWebRequest request, WebDataBinder binder, BindingResult errors) {
        String value = request.getParameter(name);
        if (value == null) {
            return null;
        }
        try {
            return binder.convertIfNecessary(value, type);
        } catch (TypeMismatchException e) {
            FieldError error = new FieldError(errors.getObjectName(), name, value, true, null, null, e.getMessage());
            error.wrap(e);
            errors.addError(error);
            return null;
        }
    }
}

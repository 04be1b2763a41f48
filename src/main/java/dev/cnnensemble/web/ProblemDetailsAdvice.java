package dev.cnnensemble.web;

import dev.cnnensemble.support.Problems;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import jakarta.validation.ConstraintViolationException;

import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * RFC 9457 problem details for every error. The features' errors carry their own status, title and
 * headers ({@link org.springframework.web.ErrorResponseException}), which the base class renders;
 * validation failures list each wrong field in {@code errors}; Spring's own errors (unreadable JSON,
 * wrong media type, ...) come via the base class too. No feature is known here.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    /**
     * One invalid input: where it is, what is wrong, and what was sent. A long text is cut to its first
     * {@value ProblemDetailsAdvice#SHOWN} characters, so that a huge value sent is not sent back.
     */
    record FieldProblem(String field, String message, @Nullable Object rejectedValue) {
        FieldProblem {
            if (rejectedValue instanceof CharSequence text && text.length() > SHOWN) {
                rejectedValue = text.subSequence(0, SHOWN) + "... (" + text.length() + " characters)";
            }
        }
    }

    static final int SHOWN = 200;

    /** A configuration that checked itself, outside of a request body's validation. */
    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail constraintViolations(ConstraintViolationException e) {
        return invalid(e.getConstraintViolations().stream()
                .map(v -> new FieldProblem(v.getPropertyPath().toString(), v.getMessage(), v.getInvalidValue()))
                .sorted(BY_FIELD)
                .toList());
    }

    /**
     * A field's path as the client wrote it: a record component that Jackson unwraps (its fields sit
     * beside the others in the JSON) leaves no segment.
     */
    static String jsonPath(@Nullable Object target, String field) {
        int dot = field.indexOf('.');
        if (target == null || dot < 0 || !target.getClass().isRecord()) {
            return field;
        }
        String head = field.substring(0, dot);
        for (RecordComponent component : target.getClass().getRecordComponents()) {
            // The annotation does not target record components: Java puts it on the accessor.
            if (component.getName().equals(head) && component.getAccessor().isAnnotationPresent(JsonUnwrapped.class)) {
                return field.substring(dot + 1);
            }
        }
        return field;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    /**
     * Unreadable JSON: names the field and what was wrong with it, when Jackson can tell. The detail says
     * what was expected in JSON's words (an integer, an object), never a Java type, class or method.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        JacksonException json = jacksonCause(e);
        if (json == null) {
            // Spring's own: no body, or JSON null (its message names the controller's method), or one that broke off.
            return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "Unreadable request body", e.getCause() == null
                    ? "the request has no body, or only null; this endpoint needs a JSON object" : "the body could not be read to its end"));
        }
        if (!json.getPath().isEmpty()) {
            String field = json.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            // A value its type refuses (an unknown architecture, say) explains itself better than Jackson does, and
            // a string where a number belongs says what was expected rather than which Java type.
            FieldProblem problem = json.getCause() instanceof IllegalArgumentException refused ? new FieldProblem(field, refused.getMessage(), null)
                    : json instanceof InvalidFormatException wrong ? new FieldProblem(field, expected(wrong.getTargetType()), wrong.getValue())
                    : json instanceof UnrecognizedPropertyException ? new FieldProblem(field, "is not a known field", null)
                    : json instanceof InputCoercionException outOfRange ? new FieldProblem(field, within(outOfRange.getTargetType()), null)
                    : json instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                            ? new FieldProblem(field, expected(mismatch.getTargetType()), null)
                    : new FieldProblem(field, json.getOriginalMessage(), null);
            return ResponseEntity.badRequest().body(invalid(List.of(problem)));
        }
        // Jackson tells data after the value (FAIL_ON_TRAILING_TOKENS) from a value of the wrong kind by its message alone.
        boolean trailing = json.getOriginalMessage().startsWith("Trailing token");
        String detail = trailing ? "the body has more after its JSON value; send one JSON object"
                : json instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null ? "the body " + expected(mismatch.getTargetType())
                : "the body is not valid JSON: " + json.getOriginalMessage();
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "Unreadable request body", detail));
    }

    /**
     * Jackson's own exception, which knows the field's path: not always the deepest cause (a refusing
     * constructor's is), and not always a databind one (a number out of an int's range is the parser's).
     */
    private static @Nullable JacksonException jacksonCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException json) {
                return json;
            }
        }
        return null;
    }

    /** A number too large for its field. */
    private static String within(@Nullable Class<?> type) {
        Class<?> boxed = type == null ? Object.class : ClassUtils.resolvePrimitiveIfNecessary(type);
        return boxed == Integer.class ? "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                : boxed == Long.class ? "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                : "is out of range";
    }

    /** A path variable or parameter that does not convert, such as an id that is not a UUID. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        String name = e.getPropertyName() != null ? e.getPropertyName() : "value";
        return ResponseEntity.badRequest().body(invalid(List.of(new FieldProblem(name, expected(e.getRequiredType()), e.getValue()))));
    }

    /**
     * A multipart body that cannot be parsed: no boundary in its Content-Type, or a body that never
     * reaches its closing boundary. (Too many bytes or parts is the 413 below, a more specific type.)
     */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail malformedMultipart(MultipartException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "Malformed multipart body", "the multipart/form-data body cannot be parsed ("
                + NestedExceptionUtils.getMostSpecificCause(e).getMessage() + "); send Content-Type: multipart/form-data; boundary=..., "
                + "and end the body with the closing boundary, as curl -F does");
    }

    /** Tomcat refused the upload while parsing it: too many bytes or too many parts. */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "Request too large",
                "the upload has too many bytes or too many parts; a request may carry cnn.datasets.uploads.max-upload-size, "
                        + "and a prediction cnn.inference.max-request-size, cnn.inference.max-image-size per image "
                        + "and cnn.inference.max-images-per-request images"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Object target = e.getBindingResult().getTarget();
        List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldProblem(jsonPath(target, f.getField()), message(f), f.getRejectedValue()))
                .sorted(BY_FIELD)
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> problem(result, error)))
                .sorted(BY_FIELD)
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    /** A body field by its path in the body; a path variable, parameter or header by its name. */
    private static FieldProblem problem(ParameterValidationResult result, MessageSourceResolvable error) {
        if (error instanceof FieldError field) {
            return new FieldProblem(jsonPath(result.getArgument(), field.getField()), field.getDefaultMessage(), field.getRejectedValue());
        }
        return new FieldProblem(result.getMethodParameter().getParameterName(), error.getDefaultMessage(), result.getArgument());
    }

    /** A value that could not be converted says what was expected, not which Java type. */
    private static String message(FieldError error) {
        if (!error.isBindingFailure() || !error.contains(TypeMismatchException.class)) {
            return error.getDefaultMessage();
        }
        return expected(error.unwrap(TypeMismatchException.class).getRequiredType());
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "must be of another type";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
        if (INTEGERS.contains(boxed)) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(boxed)) {
            return "must be a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "must be an object";
        }
        return "must be a " + (type == UUID.class ? "UUID" : type.getSimpleName().toLowerCase(Locale.ROOT));
    }

    private static final Set<Class<?>> INTEGERS = Set.of(Byte.class, Short.class, Integer.class, Long.class, BigInteger.class);

    private static final Comparator<FieldProblem> BY_FIELD = Comparator.comparing(FieldProblem::field);

    private static ProblemDetail invalid(List<FieldProblem> errors) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "Invalid request",
                errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message() : errors.size() + " fields are invalid");
        problem.setProperties(Map.of("errors", errors));
        return problem;
    }
}

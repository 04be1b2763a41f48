package dev.cnnensemble.web;

import dev.cnnensemble.dataset.UnknownDatasetException;
import dev.cnnensemble.inference.InferenceExceptions;
import dev.cnnensemble.jobs.JobExceptions;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * RFC 9457 problem details for every error. Validation failures list each wrong field in
 * {@code errors}; Spring's own errors (unreadable JSON, wrong media type, ...) come via the base class.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    /** One invalid input: where it is, what is wrong, and what was sent. */
    record FieldProblem(String field, String message, Object rejectedValue) {
    }

    /** A feature's error as HTTP: its status and the problem's title. */
    private record Mapping(HttpStatus status, String title) {
    }

    private static final Map<Class<? extends RuntimeException>, Mapping> FEATURE_ERRORS = Map.ofEntries(
            Map.entry(UnknownDatasetException.class, new Mapping(HttpStatus.NOT_FOUND, "Unknown dataset")),
            Map.entry(JobExceptions.NotFound.class, new Mapping(HttpStatus.NOT_FOUND, "Job not found")),
            Map.entry(JobExceptions.Conflict.class, new Mapping(HttpStatus.CONFLICT, "Job state does not allow this")),
            Map.entry(JobExceptions.QueueFull.class, new Mapping(HttpStatus.SERVICE_UNAVAILABLE, "Training queue full")),
            Map.entry(InferenceExceptions.UndecodableImage.class, new Mapping(HttpStatus.BAD_REQUEST, "Invalid image")),
            Map.entry(InferenceExceptions.UnsupportedImageFormat.class, new Mapping(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported image format")),
            Map.entry(InferenceExceptions.UnprocessableImage.class, new Mapping(HttpStatus.UNPROCESSABLE_CONTENT, "Image cannot be used")),
            Map.entry(InferenceExceptions.TooLarge.class, new Mapping(HttpStatus.CONTENT_TOO_LARGE, "Request too large")),
            Map.entry(InferenceExceptions.LengthRequired.class, new Mapping(HttpStatus.LENGTH_REQUIRED, "Content-Length required")),
            Map.entry(InferenceExceptions.NoModel.class, new Mapping(HttpStatus.CONFLICT, "No model to predict with")),
            Map.entry(InferenceExceptions.NotAModel.class, new Mapping(HttpStatus.CONFLICT, "Not a model")),
            Map.entry(InferenceExceptions.UnknownModel.class, new Mapping(HttpStatus.NOT_FOUND, "Model not found")),
            Map.entry(InferenceExceptions.Overloaded.class, new Mapping(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded")));

    /** The features' own errors; those that ask to come back later say when, in Retry-After. */
    @ExceptionHandler({UnknownDatasetException.class, JobExceptions.NotFound.class, JobExceptions.Conflict.class,
            JobExceptions.QueueFull.class, InferenceExceptions.UndecodableImage.class, InferenceExceptions.UnsupportedImageFormat.class,
            InferenceExceptions.UnprocessableImage.class, InferenceExceptions.TooLarge.class, InferenceExceptions.LengthRequired.class,
            InferenceExceptions.NoModel.class, InferenceExceptions.NotAModel.class, InferenceExceptions.UnknownModel.class,
            InferenceExceptions.Overloaded.class})
    ResponseEntity<ProblemDetail> featureError(RuntimeException e) {
        Mapping mapping = FEATURE_ERRORS.get(e.getClass());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(mapping.status());
        Long retryAfter = e instanceof JobExceptions.QueueFull full ? Long.valueOf(full.retryAfterSeconds())
                : e instanceof InferenceExceptions.Overloaded overloaded ? Long.valueOf(overloaded.retryAfterSeconds()) : null;
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter)));
        }
        return response.body(problem(mapping.status(), mapping.title(), e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    /** Unreadable JSON: names the field and what was wrong with it, when Jackson can tell. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        if (e.getMostSpecificCause() instanceof DatabindException json && !json.getPath().isEmpty()) {
            String field = json.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message = json instanceof UnrecognizedPropertyException ? "is not a known field" : json.getOriginalMessage();
            return ResponseEntity.badRequest().body(invalid(List.of(new FieldProblem(field, message, null))));
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
                "the body is not valid JSON for this endpoint: " + e.getMostSpecificCause().getMessage()));
    }

    /** Tomcat refused the upload while parsing it: too many bytes or too many parts. */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem(HttpStatus.CONTENT_TOO_LARGE, "Request too large",
                "the upload has too many bytes or too many parts; the limits are cnn.inference.max-request-size per request, "
                        + "spring.servlet.multipart.max-file-size per image and cnn.inference.max-images-per-request images"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldProblem(f.getField(), message(f), f.getRejectedValue()))
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
            return new FieldProblem(field.getField(), field.getDefaultMessage(), field.getRejectedValue());
        }
        return new FieldProblem(result.getMethodParameter().getParameterName(), error.getDefaultMessage(), result.getArgument());
    }

    /** A value that could not be converted says what was expected, not which Java type. */
    private static String message(FieldError error) {
        if (!error.isBindingFailure() || !error.contains(TypeMismatchException.class)) {
            return error.getDefaultMessage();
        }
        Class<?> type = error.unwrap(TypeMismatchException.class).getRequiredType();
        if (type != null && type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        return "must be " + (type == null ? "of another type" : "a " + type.getSimpleName().toLowerCase(Locale.ROOT));
    }

    private static final Comparator<FieldProblem> BY_FIELD = Comparator.comparing(FieldProblem::field);

    private static ProblemDetail invalid(List<FieldProblem> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request",
                errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message() : errors.size() + " fields are invalid");
        problem.setProperties(Map.of("errors", errors));
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

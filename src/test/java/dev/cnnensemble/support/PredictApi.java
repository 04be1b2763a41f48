package dev.cnnensemble.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /predict} over real HTTP, with multipart bodies built byte by byte so that tests control every part. */
public final class PredictApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One uploaded file. */
    public record Part(String fileName, String contentType, byte[] bytes) {
        public static Part png(String fileName, byte[] bytes) {
            return new Part(fileName, "image/png", bytes);
        }
    }

    /** What came back: the status, the Retry-After header if any, and the JSON body. */
    public record Reply(int status, String retryAfter, String contentType, JsonNode body) {
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final @Nullable String key;

    public PredictApi(int port) {
        this(port, null);
    }

    /** With this bearer token on every request, as {@code POST /datasets} needs an admin's. */
    public PredictApi(int port, @Nullable String key) {
        this.base = "http://127.0.0.1:" + port;
        this.key = key;
    }

    public Reply upload(String query, List<Part> parts) {
        Multipart body = new Multipart();
        parts.forEach(part -> body.file("images", part.fileName(), part.contentType(), part.bytes()));
        return send("/predict" + query, body.contentType(), body.bytes());
    }

    public Reply json(String query, String json) {
        return send("/predict" + query, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public Reply send(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.body().isEmpty() ? null : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

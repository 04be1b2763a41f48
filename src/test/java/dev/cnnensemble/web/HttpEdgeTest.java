package dev.cnnensemble.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.support.ServiceOnRandomPort;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Value;

/**
 * Requests that Tomcat refuses, or answers itself, before any controller: over a raw socket, since
 * HTTP clients refuse to send most of them. Each gets a problem detail, and the next request is served.
 */
@ServiceOnRandomPort
class HttpEdgeTest {

    @Value("${local.server.port}")
    int port;

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "TRACE | /jobs | 405",
            "GET | /jobs/%2e%2e/%2e%2e/etc/passwd | 400",
            "GET | /jobs/%00 | 400",
            "GET | /models/%2F..%2F | 400",
            "GET | /LONG_PATH | 400",
            "GET | /jobs?q=LONG_PATH | 400",
            "BREW | /jobs | 405",
            "GET | /nowhere | 404"})
    void tomcatsOwnRefusalsAreProblemDetails(String method, String path, int status) throws IOException {
        String target = path.replace("LONG_PATH", "a".repeat(16 * 1024));

        String response = send(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).as(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(response.toLowerCase()).as(response).contains("content-type: application/problem+json");
        assertThat(response).contains("\"status\":" + status).doesNotContain("<html", "Apache Tomcat");
        assertThat(send("GET /architectures HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void anOversizedHeaderIsAProblemDetail() throws IOException {
        String response = send("GET /jobs HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n");

        assertThat(response).as(response).startsWith("HTTP/1.1 400 ");
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
    }

    private String send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

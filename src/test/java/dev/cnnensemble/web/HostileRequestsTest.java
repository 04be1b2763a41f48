package dev.cnnensemble.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cnnensemble.dataset.RealData;
import dev.cnnensemble.dataset.RequiresMnist;
import dev.cnnensemble.support.ServiceOnRandomPort;
import dev.cnnensemble.support.TestApiKeys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hostile-input corpus, {@code src/test/resources/hostile-requests.json}: every case is sent over a raw
 * socket (HTTP clients refuse to send most of them) and must get its status as an RFC 9457 problem detail,
 * with nothing of the service's insides in it; and the service must serve a valid request right after.
 *
 * <p>A case is {@code name}, {@code status}, and either {@code method} (GET), {@code target}, {@code headers},
 * and a {@code body} or multipart {@code parts}, from which the request is built (Host, Connection: close and
 * Content-Length are added; a header given as null is left out), or {@code raw}, the request's bytes as they
 * are. Every request carries the admin key unless the case says {@code "auth": false} or names its own
 * Authorization. {@code detail}, if given, must be part of the problem's detail. Texts may hold
 * {@code {{TEXT*N}}} (TEXT N times, innermost first), {@code {{file:NAME}}} (a {@link HostileFixtures} body) and
 * {@code {{hex:C3 28}}} (raw bytes); everything else is sent as UTF-8.
 */
@ServiceOnRandomPort
@RequiresMnist
class HostileRequestsTest {

    /** One request of the corpus, and what it must get. */
    record HostileCase(String name, @Nullable String method, @Nullable String target, @Nullable Map<String, @Nullable String> headers,
                       @Nullable String body, @Nullable List<Part> parts, @Nullable String raw, @Nullable Boolean auth, int status,
                       @Nullable String detail) {

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A part of a multipart/form-data body: {@code file} (a fixture) or {@code text}; the part's header is
     * {@code form-data; name="images"; filename="FILENAME"} unless {@code disposition} replaces it ("" for none).
     */
    record Part(@Nullable String name, @Nullable String filename, @Nullable String contentType, @Nullable String file,
                @Nullable String text, @Nullable String disposition) {
    }

    /** What came back. */
    record Reply(int status, Map<String, String> headers, String body, String head) {
    }

    static final String CORPUS = "/hostile-requests.json";
    static final String BOUNDARY = "hostile-corpus-boundary";
    /** What the service must answer within, so that a hang fails the case rather than the build. */
    static final int READ_TIMEOUT_MS = 20_000;

    /** A problem detail is a few hundred characters; one that echoes a huge input could be megabytes. */
    static final int MAX_PROBLEM_CHARS = 16 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final Pattern TEXT_PLACEHOLDER = Pattern.compile("\\{\\{(?!file:|hex:)([^{}]*)}}");
    private static final Pattern BYTES_PLACEHOLDER = Pattern.compile("\\{\\{(file|hex):([^{}]*)}}");
    private static final Pattern REPEAT = Pattern.compile("(?s)(.*)\\*(\\d+)");

    @Value("${local.server.port}")
    int port;

    /** Some cases read MNIST's files from the volume; run alone, this class must not depend on another having fetched them. */
    @BeforeAll
    static void mnistOnTheVolume() {
        RealData.mnist();
    }

    static Stream<Arguments> corpus() throws IOException {
        try (InputStream in = HostileRequestsTest.class.getResourceAsStream(CORPUS)) {
            List<HostileCase> cases = JSON.readValue(in, new TypeReference<List<HostileCase>>() { });
            return cases.stream().map(c -> Arguments.of(c));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corpus")
    void everyHostileRequestGetsItsProblemDetailAndTheServiceKeepsServing(HostileCase hostile) {
        Reply reply = send(request(hostile));
        try {
            String shown = hostile.name() + ":\n" + reply.head() + "\n\n"
                    + (reply.body().length() > 2000 ? reply.body().substring(0, 2000) + "... (" + reply.body().length() + " characters)" : reply.body());
            assertThat(reply.status()).as(shown).isEqualTo(hostile.status());
            assertThat(reply.headers().getOrDefault("content-type", "")).as(shown).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(reply.body());
            assertThat(problem.isObject()).as(shown).isTrue();
            assertThat(problem.path("status").asInt()).as(shown).isEqualTo(reply.status());
            assertThat(problem.path("title").asString()).as(shown).isNotBlank();
            assertThat(reply.body().length()).as("what was sent is not sent back whole: " + shown).isLessThan(MAX_PROBLEM_CHARS);
            assertThat(reply.body()).as(shown).doesNotContainIgnoringCase("<html").doesNotContainIgnoringCase("<!doctype")
                    .doesNotContain("Exception", "Whitelabel", "Apache Tomcat", "\tat ", "at java.", "at org.", "at dev.")
                    .as("no Java type, class or method: " + shown)
                    .doesNotContain("dev.cnnensemble.", "org.springframework.", "java.lang.", "java.util.", "tools.jackson.", "jakarta.");
            if (hostile.detail() != null) {
                assertThat(problem.path("detail").asString()).as(shown).contains(hostile.detail());
            }
        } finally {
            cancelIfAJobWasQueued(reply);
        }
        Reply next = send(("GET /architectures HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(next.status()).as("a valid request right after '" + hostile.name() + "'").isEqualTo(200);
    }

    /** No case may train: should one be accepted, it fails, and its job is stopped at once. */
    private void cancelIfAJobWasQueued(Reply reply) {
        String location = reply.headers().get("location");
        if (reply.status() == 202 && location != null && location.startsWith("/jobs/")) {
            send(("POST " + location + "/cancel HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n"
                    + "Authorization: Bearer " + TestApiKeys.ADMIN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The case's request, byte for byte. */
    static byte[] request(HostileCase hostile) {
        boolean auth = !Boolean.FALSE.equals(hostile.auth());
        String authorization = "Authorization: Bearer " + TestApiKeys.ADMIN + "\r\n";
        if (hostile.raw() != null) {
            String raw = expandText(hostile.raw());
            int endOfRequestLine = raw.indexOf('\n');
            if (auth && endOfRequestLine > 0 && !raw.toLowerCase(Locale.ROOT).contains("\nauthorization:")) {
                raw = raw.substring(0, endOfRequestLine + 1) + authorization + raw.substring(endOfRequestLine + 1);
            }
            return expandBytes(raw);
        }
        byte[] body = body(hostile);
        Map<String, @Nullable String> headers = new LinkedHashMap<>();
        headers.put("Host", "localhost");
        headers.put("Connection", "close");
        if (auth) {
            headers.put("Authorization", "Bearer " + TestApiKeys.ADMIN);
        }
        if (hostile.parts() != null) {
            headers.put("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        }
        if (body != null) {
            headers.put("Content-Length", String.valueOf(body.length));
        }
        if (hostile.headers() != null) {
            hostile.headers().forEach((name, value) -> {
                headers.keySet().removeIf(known -> known.equalsIgnoreCase(name));
                headers.put(name, value);
            });
            if (hostile.headers().keySet().stream().anyMatch("Transfer-Encoding"::equalsIgnoreCase)
                    && hostile.headers().keySet().stream().noneMatch("Content-Length"::equalsIgnoreCase)) {
                headers.remove("Content-Length");
            }
        }
        StringBuilder head = new StringBuilder();
        head.append(hostile.method() == null ? "GET" : hostile.method()).append(' ').append(hostile.target()).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> {
            if (value != null) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(expandBytes(expandText(head.toString())));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte @Nullable [] body(HostileCase hostile) {
        if (hostile.parts() == null) {
            return hostile.body() == null ? null : expandBytes(expandText(hostile.body()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : hostile.parts()) {
            out.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.UTF_8));
            String disposition = part.disposition() != null ? part.disposition()
                    : "form-data; name=\"" + (part.name() == null ? "images" : part.name()) + "\""
                    + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"");
            StringBuilder head = new StringBuilder();
            if (!disposition.isEmpty()) {
                head.append("Content-Disposition: ").append(disposition).append("\r\n");
            }
            if (part.contentType() != null) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            out.writeBytes(expandBytes(expandText(head.append("\r\n").toString())));
            out.writeBytes(part.file() != null ? HostileFixtures.bytes(part.file())
                    : expandBytes(expandText(part.text() == null ? "" : part.text())));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** {@code {{TEXT*N}}}, innermost first, so that a repeated text may hold a repetition. */
    static String expandText(String template) {
        String text = template;
        for (Matcher m = TEXT_PLACEHOLDER.matcher(text); m.find(); m = TEXT_PLACEHOLDER.matcher(text)) {
            Matcher repeat = REPEAT.matcher(m.group(1));
            if (!repeat.matches()) {
                throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}}");
            }
            text = text.substring(0, m.start()) + repeat.group(1).repeat(Integer.parseInt(repeat.group(2))) + text.substring(m.end());
        }
        return text;
    }

    /** The text as UTF-8, with {@code {{file:NAME}}} and {@code {{hex:..}}} as their bytes. */
    static byte[] expandBytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = BYTES_PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            out.writeBytes(text.substring(at, m.start()).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(m.group(1).equals("file") ? HostileFixtures.bytes(m.group(2))
                    : java.util.HexFormat.of().parseHex(m.group(2).replace(" ", "")));
            at = m.end();
        }
        out.writeBytes(text.substring(at).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * Sends the request, ends the client's side of the connection (so that a request that promises more
     * bytes than it has meets the end of its stream rather than waiting), and reads the final answer.
     */
    private Reply send(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException refusedMidway) {
                // The service answered (and stopped reading) before the whole request was sent: read that answer.
            }
            byte[] response = readAll(socket.getInputStream());
            return parse(response);
        } catch (SocketTimeoutException hang) {
            return fail("no answer within " + READ_TIMEOUT_MS + " ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                response.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            if (response.size() == 0) {
                throw reset;
            }
            // A reset after the answer (the service closed without reading all the request): keep what came.
        }
        return response.toByteArray();
    }

    /** The last, final response: 1xx interim responses are skipped. */
    static Reply parse(byte[] response) {
        String all = new String(response, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (true) {
            int end = all.indexOf("\r\n\r\n", start);
            if (end < 0) {
                return fail("no complete response head in:\n" + all);
            }
            String head = all.substring(start, end);
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                return fail("not an HTTP response:\n" + all);
            }
            int status = Integer.parseInt(statusLine[1]);
            if (status >= 100 && status < 200) {
                start = end + 4;
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            byte[] rest = all.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
            byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(rest)
                    : headers.containsKey("content-length") ? java.util.Arrays.copyOf(rest, Math.min(rest.length, Integer.parseInt(headers.get("content-length"))))
                    : rest;
            return new Reply(status, headers, new String(body, StandardCharsets.UTF_8), head);
        }
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOfCrlf(chunked, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Every case has a name of its own, a status and a request, so a typo in the corpus fails here and not in a case. */
    @org.junit.jupiter.api.Test
    void theCorpusIsWellFormed() throws IOException {
        List<HostileCase> cases = new ArrayList<>();
        corpus().forEach(a -> cases.add((HostileCase) a.get()[0]));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        assertThat(cases.stream().map(HostileCase::name).distinct()).hasSameSizeAs(cases);
        for (HostileCase c : cases) {
            assertThat(c.raw() != null || c.target() != null).as("%s has a target or a raw request", c.name()).isTrue();
            assertThat(c.status()).as("%s expects an error status", c.name()).isBetween(400, 599);
        }
    }
}

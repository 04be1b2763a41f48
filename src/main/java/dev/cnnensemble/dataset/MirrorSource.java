package dev.cnnensemble.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Downloads the gzipped files from the public mirrors of the original distribution. */
class MirrorSource implements DatasetSource {

    private final HttpClient http;
    private final Duration timeout;

    MirrorSource(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String describe() {
        return "public mirrors";
    }

    @Override
    public boolean supports(DatasetSpec spec) {
        return !spec.mirrors().isEmpty();
    }

    @Override
    public void fetchInto(DatasetSpec spec, Path stagingDir) throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (URI mirror : spec.mirrors()) {
            try {
                for (DatasetSpec.DataFile file : spec.files()) {
                    download(mirror.resolve(file.fileName() + ".gz"), stagingDir.resolve(file.fileName()));
                }
                return;
            } catch (IOException e) {
                failures.add(mirror + ": " + e);
            }
        }
        throw new IOException(String.join("; ", failures));
    }

    private void download(URI uri, Path target) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout.multipliedBy(30)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for " + uri);
            }
            Files.copy(new GZIPInputStream(body), target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

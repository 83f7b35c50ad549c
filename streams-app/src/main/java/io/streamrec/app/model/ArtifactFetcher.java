package io.streamrec.app.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fetches ONNX graphs that a release names by URI instead of carrying inline: {@code file:} and
 * {@code http(s):}. Refuses anything larger than a limit, so a bad URI cannot exhaust the heap. Thread-safe.
 */
public final class ArtifactFetcher {

    private final long maxBytes;
    private final Duration timeout;
    private final HttpClient http;

    public ArtifactFetcher(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The artifact's bytes. */
    public byte[] fetch(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "file" -> {
                Path path = Path.of(uri);
                long size = Files.size(path);
                checkSize(uri, size);
                return Files.readAllBytes(path);
            }
            case "http", "https" -> {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
                HttpResponse<InputStream> response;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while fetching " + uri, e);
                }
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200) {
                        throw new IOException("GET " + uri + " answered " + response.statusCode());
                    }
                    byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                    checkSize(uri, bytes.length);
                    return bytes;
                }
            }
            default -> throw new IOException("unsupported artifact URI scheme '" + scheme + "' in " + uri
                    + " (file, http and https are supported)");
        }
    }

    private void checkSize(URI uri, long size) throws IOException {
        if (size > maxBytes) {
            throw new IOException(uri + " is larger than the " + maxBytes + "-byte limit (model.artifact.max.bytes)");
        }
    }
}

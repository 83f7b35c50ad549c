package io.streamrec.app.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches the files a release names by URI instead of carrying inline (ONNX graphs, retrieval indexes):
 * {@code file:} and {@code http(s):}. A release comes from the models topic, so its URI is not trusted: every fetch has one
 * deadline for all of it (connecting, the answer's headers and its whole body, or reading the whole file), and
 * a byte cap counted while reading, whatever size a header or the file system declares. A {@code file:} URI
 * must name a regular file: devices ({@code /dev/zero}), FIFOs and directories are refused before they are
 * opened (opening a FIFO would block). Every failure is an {@link IOException} that names the URI and the
 * limit it broke. Thread-safe.
 */
public final class ArtifactFetcher {

    /** The largest array the JVM allocates, whatever the configured cap. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    private static final int FILE_CHUNK_BYTES = 64 * 1024;

    private final long maxBytes;
    private final Duration deadline;
    private final HttpClient http;

    /**
     * @param maxBytes most bytes an artifact may have ({@code model.artifact.max.bytes})
     * @param deadline longest a whole fetch may take
     */
    public ArtifactFetcher(long maxBytes, Duration deadline) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        this.maxBytes = Math.min(maxBytes, MAX_ARRAY_BYTES);
        this.deadline = deadline;
        this.http = HttpClient.newBuilder().connectTimeout(deadline).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The most bytes an artifact may have. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The artifact's bytes. */
    public byte[] fetch(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        return switch (scheme) {
            case "file" -> readFile(uri, deadlineNanos);
            case "http", "https" -> download(uri, deadlineNanos);
            default -> throw new IOException("unsupported artifact URI scheme '" + scheme + "' in " + uri
                    + " (file, http and https are supported)");
        };
    }

    private byte[] readFile(URI uri, long deadlineNanos) throws IOException {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new IOException(uri + " is not a usable file URI: " + e.getMessage(), e);
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IOException(uri + " is not a regular file (" + kind(attributes) + "): an artifact must be one");
        }
        if (attributes.size() > maxBytes || attributes.size() > Integer.MAX_VALUE - 8) {
            throw tooLarge(uri);
        }
        // Read into an array of the file's size: a growing buffer copies a gigabyte graph several times over.
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = new byte[(int) attributes.size()];
            int filled = 0;
            while (filled < bytes.length) {
                int read = in.read(bytes, filled, Math.min(FILE_CHUNK_BYTES, bytes.length - filled));
                if (read < 0) {
                    return Arrays.copyOf(bytes, filled); // it shrank: the checksum decides
                }
                filled += read;
                if (System.nanoTime() > deadlineNanos) {
                    throw tooSlow(uri);
                }
            }
            if (in.read() >= 0) {
                throw new IOException(uri + " grew while it was read: an artifact must not change once written");
            }
            return bytes;
        }
    }

    private static String kind(BasicFileAttributes attributes) {
        return attributes.isDirectory() ? "a directory" : "a device, FIFO or socket";
    }

    private byte[] download(URI uri, long deadlineNanos) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(deadline).GET().build();
        AtomicReference<CappedBody> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, info -> {
            body.set(new CappedBody(info.statusCode() == 200 ? maxBytes : -1));
            return body.get();
        });
        HttpResponse<byte[]> response;
        try {
            response = answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abort(answer, body.get()); // so a server that trickles bytes holds no connection either
            throw tooSlow(uri);
        } catch (InterruptedException e) {
            abort(answer, body.get());
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TooLargeException) {
                throw tooLarge(uri);
            }
            if (e.getCause() instanceof HttpTimeoutException) {
                throw tooSlow(uri);
            }
            throw new IOException("GET " + uri + " failed: " + e.getCause(), e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static void abort(CompletableFuture<?> answer, CappedBody body) {
        answer.cancel(true);
        if (body != null) {
            body.cancel();
        }
    }

    private IOException tooLarge(URI uri) {
        return new IOException(uri + " is larger than the " + maxBytes + "-byte limit (model.artifact.max.bytes)");
    }

    private IOException tooSlow(URI uri) {
        return new IOException(uri + " could not be fetched completely within " + deadline);
    }

    /** A body over the cap; the fetch turns it into an IOException naming the URI. */
    private static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("body over the byte cap");
        }
    }

    /**
     * Collects a response body up to a cap and cancels the exchange as soon as it passes the cap, so a body is
     * never buffered past it (a Content-Length header, if any, plays no part). A negative cap reads no body at
     * all: answers other than 200 are refused by their status alone.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        CappedBody(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (maxBytes < 0) {
                subscription.cancel();
                body.complete(new byte[0]);
            } else {
                subscription.request(1);
            }
        }

        /** Stops reading: the fetch gave up on this body. */
        void cancel() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            body.cancel(false);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return; // cancelled: deliveries already under way are dropped
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLargeException());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}

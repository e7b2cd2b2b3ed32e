package org.elves.agent.appsync;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads a package into a {@code .part} file with java.net.http: HTTP 200 only, at most the
 * package's announced size and the configured cap, the whole transfer within a deadline, and the
 * SHA-256 of the bytes equal to the announced one. The HTTP client is made at the first download
 * (an agent that never downloads has no selector thread) and runs on the given (shared) executor.
 */
final class PackageFetcher {
    private final Executor executor;
    private final Duration timeout;
    private final long maxBytes;
    private HttpClient client;

    PackageFetcher(Executor executor, Duration timeout, long maxBytes) {
        this.executor = executor;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().executor(executor)
                    .connectTimeout(timeout.compareTo(Duration.ofSeconds(30)) < 0 ? timeout : Duration.ofSeconds(30))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }

    /**
     * Fetches and verifies the package into {@code part} (replaced if there).
     *
     * @throws PackageException     with the reason kept in the app's status
     * @throws InterruptedException when the agent closes during the download
     */
    void fetch(PackageRef ref, Path part) throws PackageException, InterruptedException {
        long limit = ref.size() >= 0 ? Math.min(ref.size(), maxBytes) : maxBytes;
        if (ref.size() > maxBytes) {
            throw new PackageException("package of " + ref.size() + " bytes is larger than apps.maxpackagebytes ("
                    + maxBytes + ")");
        }
        HttpRequest request = HttpRequest.newBuilder(ref.url()).GET().timeout(timeout).build();
        ToFile body;
        try {
            body = new ToFile(FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), limit);
        } catch (IOException e) {
            throw new PackageException("cannot write " + part.getFileName() + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<HttpResponse<Long>> call = null;
        try {
            call = client().sendAsync(request, info -> {
                if (info.statusCode() != 200) {
                    body.close();
                    return HttpResponse.BodySubscribers.replacing(-1L);
                }
                long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (announced > limit) {
                    body.close();
                    body.tooLarge = announced;
                    return HttpResponse.BodySubscribers.replacing(-1L);
                }
                return body;
            });
            HttpResponse<Long> response = call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (response.statusCode() != 200) {
                throw new PackageException("download failed: HTTP " + response.statusCode());
            }
            if (body.tooLarge > 0) {
                throw new PackageException(tooLarge(ref, body.tooLarge));
            }
            long got = response.body();
            if (ref.size() >= 0 && got != ref.size()) {
                throw new PackageException("download incomplete: got " + got + " of " + ref.size() + " bytes");
            }
            String sha = HexFormat.of().formatHex(body.digest.digest());
            if (!sha.equals(ref.sha256())) {
                throw new PackageException("checksum mismatch: sha256 of the download is " + sha + ", expected "
                        + ref.sha256());
            }
        } catch (TimeoutException e) {
            throw new PackageException("download not complete after " + timeout.toSeconds()
                    + " s (apps.downloadtimeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge) {
                throw new PackageException(tooLarge(ref, ((TooLarge) cause).bytes));
            }
            throw new PackageException("download failed: " + describe(cause));
        } finally {
            if (call != null) {
                call.cancel(true);
            }
            body.cancelAndClose();
        }
    }

    private String tooLarge(PackageRef ref, long bytes) {
        return ref.size() >= 0 && ref.size() < maxBytes
                ? "download larger than the announced size " + ref.size() + " (" + bytes + " bytes or more)"
                : "download larger than apps.maxpackagebytes (" + maxBytes + ")";
    }

    private static String describe(Throwable t) {
        if (t instanceof InterruptedIOException || t == null) {
            return "interrupted";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Failure of one package; the text goes into the app's status. */
    static final class PackageException extends Exception {
        PackageException(String message) {
            super(message);
        }
    }

    private static final class TooLarge extends IOException {
        final long bytes;

        TooLarge(long bytes) {
            super("too large");
            this.bytes = bytes;
        }
    }

    /** Writes the body to the file, counting and hashing, stopping past the limit. */
    private static final class ToFile implements HttpResponse.BodySubscriber<Long> {
        final CompletableFuture<Long> result = new CompletableFuture<>();
        final MessageDigest digest;
        final FileChannel channel;
        final long limit;
        volatile long tooLarge;
        private Flow.Subscription subscription;
        private long count;
        private boolean closed;

        ToFile(FileChannel channel, long limit) {
            this.channel = channel;
            this.limit = limit;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            if (closed) {
                s.cancel();
                return;
            }
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            Flow.Subscription s;
            synchronized (this) {
                if (closed) {
                    return;
                }
                try {
                    for (ByteBuffer b : items) {
                        count += b.remaining();
                        if (count > limit) {
                            fail(new TooLarge(count));
                            return;
                        }
                        digest.update(b.duplicate());
                        while (b.hasRemaining()) {
                            channel.write(b);
                        }
                    }
                } catch (IOException e) {
                    fail(e);
                    return;
                }
                s = subscription;
            }
            s.request(1);
        }

        private void fail(IOException e) {
            cancelAndClose();
            result.completeExceptionally(e);
        }

        @Override
        public void onError(Throwable t) {
            close();
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            long total;
            synchronized (this) {
                try {
                    if (!closed) {
                        channel.force(false);
                    }
                } catch (IOException e) {
                    fail(e);
                    return;
                }
                // read under the lock: onNext wrote it on another of the client's threads
                total = count;
            }
            close();
            result.complete(total);
        }

        synchronized void cancelAndClose() {
            if (subscription != null) {
                subscription.cancel();
                subscription = null;
            }
            close();
        }

        synchronized void close() {
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
        }
    }
}

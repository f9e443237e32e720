package yingyan.spi;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The JDK HttpClient's {@code BodyHandlers.ofByteArray()} with a limit: an answer that declares, or turns
 * out to have, more bytes than the limit fails with {@link TooLarge} as soon as that is known, and the
 * connection is dropped, so a source that answers 2 GB costs the hub at most the limit. (The JDK has no
 * bounded handler; a page must be whole to be cut into items, so a stream would not bound it either.)
 */
public final class BoundedBody {
    private BoundedBody() {
    }

    /** An answer over the limit; the limit is named so the reason can say what to change. */
    public static final class TooLarge extends IOException {
        private final long limit;

        TooLarge(long limit, String what) {
            super("the answer is larger than " + limit + " bytes (" + what + ")");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /** A handler that collects at most {@code maxBytes} bytes of the body. */
    public static HttpResponse.BodyHandler<byte[]> ofByteArray(long maxBytes) {
        return info -> {
            OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
            return new Subscriber(maxBytes, declared.isPresent() && declared.getAsLong() > maxBytes);
        };
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<byte[]> parts = new ArrayList<>();
        private final long max;
        private final boolean declaredTooLarge;
        private Flow.Subscription subscription;
        private long size;

        Subscriber(long max, boolean declaredTooLarge) {
            this.max = max;
            this.declaredTooLarge = declaredTooLarge;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declaredTooLarge) {
                refuse("declared in Content-Length");
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                size += b.remaining();
                if (size > max) {
                    refuse("found while reading it");
                    return;
                }
                byte[] part = new byte[b.remaining()];
                b.get(part);
                parts.add(part);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] body = new byte[(int) size];
            int at = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, body, at, p.length);
                at += p.length;
            }
            parts.clear();
            result.complete(body);
        }

        private void refuse(String how) {
            parts.clear();
            subscription.cancel();
            result.completeExceptionally(new TooLarge(max, how));
        }
    }
}

package dev.paddock.download;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Moves a file's bytes into a partial download: in pieces over several connections when the server
 * serves ranges and says the size, else in one stream. Retries transient faults with backoff from the
 * bytes already on disk, treats a stalled connection as a fault, and hashes as it goes.
 */
final class Transfer {
    static final int LEDGER_STEP = 1 << 20;

    /** How to fetch: the plan the probe allows, and the limits the settings give. */
    record Plan(URI url, Map<String, String> headers, Long sizeBytes, boolean ranges, String etag, int connections,
            long pieceBytes, int retries, Duration stallTimeout, long maxUnknownBytes) {}

    /** Room left on the disk below which a download of unknown length stops (the database and others need some). */
    static final long RESERVE_BYTES = 256L << 20;

    /** Thrown when the server's copy is not the one the partial data belongs to: the caller starts over. */
    static final class ChangedOnServer extends IOException {
        ChangedOnServer(String message) {
            super(message);
        }
    }

    /** The server answered a range request with the whole file: only one stream from the start will do. */
    static final class RangesIgnored extends IOException {
        RangesIgnored() {
            super("the server ignores Range requests");
        }
    }

    record Result(String sha256, long sizeBytes, long transferredBytes) {}

    private final HttpClient client;
    private final Plan plan;
    private final PartialDownload partial;
    private final Consumer<String> notices;
    private final AtomicLong transferred = new AtomicLong();
    private final Map<Thread, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopping;

    private record Stream(InputStream in, AtomicLong lastByteNanos) {}

    Transfer(HttpClient client, Plan plan, PartialDownload partial, Consumer<String> notices) {
        this.client = client;
        this.plan = plan;
        this.partial = partial;
        this.notices = notices;
    }

    long transferred() {
        return transferred.get();
    }

    /**
     * Runs to completion, or until {@code stop} says so (returns null: the partial data stays), reporting
     * bytes on disk to {@code progress} about ten times a second.
     */
    Result run(BooleanSupplier stop, java.util.function.LongConsumer progress) throws IOException, InterruptedException {
        boolean pieces = plan.sizeBytes() != null && plan.ranges();
        long size = pieces ? plan.sizeBytes() : -1;
        int n = pieces ? (int) Math.max(1, (size + plan.pieceBytes() - 1) / plan.pieceBytes()) : 1;
        long[] starts = new long[n];
        long[] lengths = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = i * plan.pieceBytes();
            lengths[i] = pieces ? Math.min(plan.pieceBytes(), size - starts[i]) : Long.MAX_VALUE;
        }
        AtomicLongArray done = new AtomicLongArray(partial.progress(n));
        if (!pieces && !plan.ranges() && done.get(0) > 0) {
            notices.accept("the server does not serve ranges: starting over from the first byte");
            done.set(0, 0);
        }
        OrderedHasher hasher = new OrderedHasher(partial.data(), starts, lengths, done);
        Thread hashing = Thread.ofPlatform().name("pull-hash").daemon().start(hasher);
        ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < n; i++) {
            if (done.get(i) < lengths[i]) {
                todo.add(i);
            }
        }
        long initial = 0;
        for (int i = 0; i < n; i++) {
            initial += done.get(i);
        }
        progress.accept(initial); // where this run starts: what was already on disk
        List<Thread> workers = new ArrayList<>();
        try (FileChannel out = FileChannel.open(partial.data(), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            int connections = pieces ? Math.max(1, Math.min(plan.connections(), todo.size())) : 1;
            for (int w = 0; w < connections; w++) {
                workers.add(Thread.ofPlatform().name("pull-" + w).daemon().start(() -> {
                    Integer piece;
                    while (failure.get() == null && !stopping && (piece = todo.poll()) != null) {
                        try {
                            fetch(piece, starts[piece], lengths[piece], done, out, hasher);
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            long sum;
            while (true) {
                boolean alive = workers.stream().anyMatch(Thread::isAlive);
                sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += done.get(i);
                }
                progress.accept(sum);
                if (!alive) {
                    break;
                }
                if (stop.getAsBoolean() || failure.get() != null) {
                    stopping = true;
                    streams.values().forEach(s -> closeQuietly(s.in()));
                }
                closeStalled();
                Thread.sleep(100);
            }
            for (Thread t : workers) {
                t.join();
            }
            partial.closeLedger();
            if (failure.get() != null) {
                hasher.abandon();
                throw asIo(failure.get());
            }
            if (stopping) {
                hasher.abandon();
                return null;
            }
            hasher.complete(sum);
            String sha = hasher.await();
            hashing.join();
            return new Result(sha, sum, transferred.get());
        } finally {
            hasher.abandon();
        }
    }

    private void fetch(int piece, long start, long length, AtomicLongArray done, FileChannel out, OrderedHasher hasher)
            throws IOException, InterruptedException {
        int attempt = 0;
        long backoff = 250;
        while (done.get(piece) < length && !stopping) {
            long before = done.get(piece);
            try {
                fetchOnce(piece, start, length, done, out, hasher);
                if (length == Long.MAX_VALUE) {
                    return; // one stream of unknown length: its end is the file's end
                }
            } catch (ChangedOnServer | RangesIgnored | PaddockException e) {
                throw e;
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                attempt = done.get(piece) > before ? 1 : attempt + 1; // progress resets the count
                if (attempt > plan.retries()) {
                    throw new IOException("gave up after " + plan.retries() + " retries: " + e.getMessage(), e);
                }
                notices.accept("retrying from byte " + (start + done.get(piece)) + " (" + describe(e) + ")");
                Thread.sleep(Math.min(8000, backoff));
                backoff *= 2;
            }
        }
    }

    private void fetchOnce(int piece, long start, long length, AtomicLongArray done, FileChannel out,
            OrderedHasher hasher) throws IOException, InterruptedException {
        long from = start + done.get(piece);
        // the headers must come within the stall timeout too: a server that accepts and says nothing is a stall
        HttpRequest.Builder b = HttpRequest.newBuilder(plan.url()).timeout(plan.stallTimeout()).GET();
        plan.headers().forEach(b::header);
        boolean ranged = from > 0 || length != Long.MAX_VALUE;
        if (ranged) {
            b.header("Range", "bytes=" + from + "-" + (length == Long.MAX_VALUE ? "" : String.valueOf(start + length - 1)));
        }
        HttpResponse<InputStream> res;
        PullSource source = new PullSource(plan.url().toString(), plan.url(), plan.headers(), null, null, null);
        try {
            res = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            PaddockException why = RemoteProbe.classify(e, plan.url(), source, plan.stallTimeout());
            if (why instanceof TransientFailure) {
                throw new IOException(why.getMessage(), e);
            }
            throw why; // refused, unknown host, TLS: retrying cannot help
        }
        int status = res.statusCode();
        try (InputStream in = res.body()) {
            if (status == 416) {
                throw new ChangedOnServer("the server refused the range " + from + "- (416): the file changed or shrank");
            }
            if (status >= 500 || status == 429 || status == 408) {
                throw new IOException("the server answered " + status);
            }
            RemoteProbe.failOnStatus(status, source);
            if (ranged && status == 200) {
                throw new RangesIgnored();
            }
            String etag = res.headers().firstValue("ETag").map(RemoteProbe::unquote).orElse(null);
            if (plan.etag() != null && etag != null && !etag.equals(plan.etag())) {
                throw new ChangedOnServer("the file changed on the server (ETag " + plan.etag() + " is now " + etag + ")");
            }
            if (status == 206) {
                long rangeStart = res.headers().firstValue("Content-Range").map(v -> v.replaceAll("^bytes (\\d+)-.*$", "$1"))
                        .map(Long::parseLong).orElse(from);
                if (rangeStart != from) {
                    throw new IOException("the server sent bytes from " + rangeStart + " instead of " + from);
                }
            }
            copy(in, piece, start, length, done, out, hasher);
        }
    }

    private void copy(InputStream in, int piece, long start, long length, AtomicLongArray done, FileChannel out,
            OrderedHasher hasher) throws IOException {
        Stream s = new Stream(in, new AtomicLong(System.nanoTime()));
        streams.put(Thread.currentThread(), s);
        byte[] buf = new byte[64 * 1024];
        long recorded = done.get(piece);
        try {
            while (done.get(piece) < length && !stopping) {
                int want = (int) Math.min(buf.length, length - done.get(piece));
                int r = in.read(buf, 0, want);
                if (r < 0) {
                    if (length == Long.MAX_VALUE) {
                        break;
                    }
                    throw new IOException("the connection closed after " + done.get(piece) + " of " + length
                            + " bytes of this part");
                }
                s.lastByteNanos().set(System.nanoTime());
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, r);
                long pos = start + done.get(piece);
                while (bb.hasRemaining()) {
                    pos += out.write(bb, pos);
                }
                done.addAndGet(piece, r);
                transferred.addAndGet(r);
                if (plan.sizeBytes() != null && length == Long.MAX_VALUE && done.get(piece) > plan.sizeBytes()) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, "the server sent more than the " + plan.sizeBytes()
                            + " bytes it announced for " + plan.url());
                }
                if (plan.sizeBytes() == null && done.get(piece) - recorded >= LEDGER_STEP) {
                    boundUnknownLength(done.get(piece));
                }
                if (done.get(piece) - recorded >= LEDGER_STEP) {
                    partial.record(piece, done.get(piece));
                    recorded = done.get(piece);
                    hasher.poke();
                }
            }
        } catch (IOException e) {
            if (s.lastByteNanos().get() < 0) {
                throw new IOException("no data for " + plan.stallTimeout().toSeconds() + " s", e);
            }
            throw e;
        } finally {
            streams.remove(Thread.currentThread());
            partial.record(piece, done.get(piece));
            hasher.poke();
        }
        if (length == Long.MAX_VALUE && plan.sizeBytes() != null && done.get(piece) < plan.sizeBytes()) {
            throw new IOException("the connection closed after " + done.get(piece) + " of " + plan.sizeBytes() + " bytes");
        }
    }

    /** A server that never said the size may send for ever: stop at the setting's bound, or before the disk fills. */
    private void boundUnknownLength(long received) throws IOException {
        if (received > plan.maxUnknownBytes()) {
            throw new PaddockException(ErrorCode.INVALID_INPUT, "the server of " + plan.url().getHost() + " sent more than "
                    + (plan.maxUnknownBytes() >> 20) + " MiB without saying the file's size; raise download.max_unknown_size_gb"
                    + " if the file really is that large");
        }
        long free = java.nio.file.Files.getFileStore(partial.data()).getUsableSpace();
        if (free < RESERVE_BYTES) {
            throw new PaddockException(ErrorCode.STORAGE, "the disk is nearly full (" + (free >> 20) + " MiB free) after "
                    + (received >> 20) + " MiB of a file whose size the server never said; free space and pull again");
        }
    }

    /** A connection with no bytes for the stall timeout is closed; its reader retries. */
    private void closeStalled() {
        long now = System.nanoTime();
        streams.values().forEach(s -> {
            long last = s.lastByteNanos().get();
            if (last > 0 && now - last > plan.stallTimeout().toNanos()) {
                s.lastByteNanos().set(-1); // tells the reader why its stream closed
                closeQuietly(s.in());
            }
        });
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() || m.equals("closed") ? "the connection closed early" : RemoteProbe.describe(e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing to interrupt a read
        }
    }

    private static IOException asIo(Exception e) {
        if (e instanceof PaddockException p) {
            throw p;
        }
        return e instanceof IOException io ? io : new IOException(e);
    }
}

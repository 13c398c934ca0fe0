package dev.paddock.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 file server on a loopback port, written on plain sockets so that it can misbehave in
 * every way a download must survive: drop the connection after N bytes, stall, ignore Range, answer
 * 503 K times (or 401, 403, 404), flip a byte, throttle, redirect to another host name, send no length,
 * send more than it announced, change its ETag. Also a plain server for bench/download ({@link #main}).
 */
public final class FaultyFileServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final AtomicLong bodyBytesSent = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean closed;

    // faults
    private final AtomicInteger dropTimes = new AtomicInteger();
    private volatile long dropAfter;
    private final AtomicInteger stallTimes = new AtomicInteger();
    private volatile long stallAfter;
    private volatile Duration stallFor = Duration.ZERO;
    private volatile boolean ignoreRange;
    private final AtomicInteger failTimes = new AtomicInteger();
    private volatile int failStatus;
    private volatile long flipAt = -1;
    private volatile long bytesPerSecond;
    private volatile boolean noLength;
    private volatile long extraBytes;
    private volatile String etag = "\"v1\"";
    private volatile String linkedEtag;
    private volatile long holdAfter = -1;
    private volatile Path holdFile; // null: holdAfter counts the bytes of every body
    private volatile java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(0);
    private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(0);

    public FaultyFileServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("faulty-accept").start(this::accept);
    }

    public FaultyFileServer serve(String name, Path file) {
        files.put(name, file);
        return this;
    }

    /** http://127.0.0.1:PORT/files/NAME */
    public String url(String name) {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/files/" + name;
    }

    /** A URL that redirects twice (via another host name, localhost) to the file. */
    public String redirectingUrl(String name) {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/redirect/" + name;
    }

    public FaultyFileServer dropAfter(long bytes, int times) {
        dropAfter = bytes;
        dropTimes.set(times);
        return this;
    }

    public FaultyFileServer stallAfter(long bytes, Duration d, int times) {
        stallAfter = bytes;
        stallFor = d;
        stallTimes.set(times);
        return this;
    }

    public FaultyFileServer ignoreRange(boolean b) {
        ignoreRange = b;
        return this;
    }

    public FaultyFileServer fail(int status, int times) {
        failStatus = status;
        failTimes.set(times);
        return this;
    }

    public FaultyFileServer flipByteAt(long offset) {
        flipAt = offset;
        return this;
    }

    public FaultyFileServer throttle(long bytesPerSec) {
        bytesPerSecond = bytesPerSec;
        return this;
    }

    public FaultyFileServer noContentLength(boolean b) {
        noLength = b;
        return this;
    }

    public FaultyFileServer sendExtraBytes(long n) {
        extraBytes = n;
        return this;
    }

    public FaultyFileServer etag(String quoted) {
        etag = quoted;
        return this;
    }

    /** Hugging Face's header carrying the SHA-256 of the file. */
    public FaultyFileServer linkedEtag(String sha256) {
        linkedEtag = sha256;
        return this;
    }

    /**
     * Once {@code totalBytes} of bodies are sent, every body waits (its bytes so far flushed) until
     * {@link #release}: a transfer caught mid-way for as long as a test looks at it, with no clock involved.
     */
    public FaultyFileServer holdAfter(long totalBytes) {
        holdFile = null;
        released.countDown(); // bodies held before go on (to a client that is likely gone)
        held = new java.util.concurrent.CountDownLatch(1);
        released = new java.util.concurrent.CountDownLatch(1);
        holdAfter = totalBytes;
        return this;
    }

    /**
     * Once a body of the file served as {@code name} reaches its byte {@code offset}, that body waits until
     * {@link #release}; other files' bodies go on (a header read, the parts before it).
     */
    public FaultyFileServer holdWithin(String name, long offset) {
        holdAfter(offset);
        holdFile = files.get(name);
        return this;
    }

    /** Waits until a body is held: the transfer is caught, with at least the held-after bytes sent. */
    public void awaitHeld() throws InterruptedException {
        if (!held.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("no transfer reached the held byte (" + bodyBytesSent() + " bytes sent)");
        }
    }

    public void release() {
        holdAfter = -1;
        holdFile = null;
        released.countDown();
    }

    public long bodyBytesSent() {
        return bodyBytesSent.get();
    }

    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                Thread.ofPlatform().daemon().start(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) {
                return;
            }
            Map<String, String> headers = new HashMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
            }
            requests.incrementAndGet();
            String[] parts = requestLine.split(" ");
            respond(s.getOutputStream(), parts[0], parts[1], headers);
        } catch (IOException | InterruptedException ignored) {
            // the client went away, or the fault closed the connection on purpose
        }
    }

    private void respond(OutputStream out, String method, String path, Map<String, String> h) throws IOException, InterruptedException {
        if (failTimes.get() > 0 && failTimes.getAndDecrement() > 0) {
            head(out, failStatus + " Fault", Map.of("Content-Length", "22", "Content-Type", "application/json"));
            out.write("{\"error\":\"injected\"}\n\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (path.startsWith("/redirect/")) {
            String name = path.substring("/redirect/".length());
            head(out, "302 Found", Map.of("Location", "http://localhost:" + socket.getLocalPort() + "/hop/" + name,
                    "Content-Length", "0"));
            return;
        }
        if (path.startsWith("/hop/")) {
            head(out, "301 Moved", Map.of("Location", "http://127.0.0.1:" + socket.getLocalPort() + "/files/"
                    + path.substring("/hop/".length()), "Content-Length", "0"));
            return;
        }
        Path file = path.startsWith("/files/") ? files.get(path.substring("/files/".length())) : null;
        if (file == null) {
            head(out, "404 Not Found", Map.of("Content-Length", "0"));
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long from = 0;
            long to = size - 1;
            boolean partial = false;
            String range = h.get("range");
            if (range != null && !ignoreRange && range.startsWith("bytes=")) {
                String[] r = range.substring(6).split("-", -1);
                from = Long.parseLong(r[0]);
                to = r[1].isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(r[1]));
                if (from >= size) {
                    head(out, "416 Range Not Satisfiable", Map.of("Content-Range", "bytes */" + size, "Content-Length", "0"));
                    return;
                }
                partial = true;
            }
            long length = to - from + 1;
            Map<String, String> rh = new HashMap<>();
            rh.put("ETag", etag);
            rh.put("Accept-Ranges", ignoreRange ? "none" : "bytes");
            if (linkedEtag != null) {
                rh.put("X-Linked-Etag", "\"" + linkedEtag + "\"");
            }
            boolean lying = extraBytes > 0 && range == null; // a body longer than the size it gave the probe
            if (!noLength && !lying) {
                rh.put("Content-Length", String.valueOf(length));
            }
            if (partial) {
                rh.put("Content-Range", "bytes " + from + "-" + to + "/" + size);
            }
            head(out, partial ? "206 Partial Content" : "200 OK", rh);
            if (!method.equals("HEAD")) {
                body(out, ch, from, length + (lying ? extraBytes : 0), file);
            }
        }
    }

    private void body(OutputStream out, FileChannel ch, long from, long length, Path file) throws IOException, InterruptedException {
        // a fault is spent only on a body long enough for it to happen (not on a 1-byte probe)
        boolean drop = length > dropAfter && dropTimes.get() > 0 && dropTimes.getAndDecrement() > 0;
        boolean stall = length > stallAfter && stallTimes.get() > 0 && stallTimes.getAndDecrement() > 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long sent = 0;
        long start = System.nanoTime();
        while (sent < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - sent));
            if (drop) {
                buf.limit((int) Math.min(buf.limit(), Math.max(0, dropAfter - sent)));
            }
            if (stall && sent >= stallAfter) {
                Thread.sleep(stallFor.toMillis());
                stall = false;
            } else if (stall) {
                buf.limit((int) Math.min(buf.limit(), stallAfter - sent));
            }
            if (drop && sent >= dropAfter) {
                out.flush();
                return; // the connection closes mid-body
            }
            long hold = holdAfter;
            Path only = holdFile;
            if (hold >= 0 && (only == null ? bodyBytesSent.get() >= hold : only.equals(file) && from + sent >= hold)) {
                out.flush();
                held.countDown();
                released.await();
            }
            int n = ch.read(buf, from + sent);
            if (n <= 0) { // past the end: the "extra" bytes a lying server appends
                buf.clear().limit((int) Math.min(buf.capacity(), length - sent));
                n = buf.limit();
                buf.position(n);
            }
            byte[] bytes = java.util.Arrays.copyOf(buf.array(), n);
            if (flipAt >= from + sent && flipAt < from + sent + n) {
                bytes[(int) (flipAt - from - sent)] ^= 0x5a;
            }
            out.write(bytes);
            sent += n;
            bodyBytesSent.addAndGet(n);
            if (bytesPerSecond > 0) {
                long due = (long) (sent * 1e9 / bytesPerSecond);
                long ahead = due - (System.nanoTime() - start);
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
        }
        out.flush();
    }

    private static void head(OutputStream out, String status, Map<String, String> headers) throws IOException {
        StringBuilder s = new StringBuilder("HTTP/1.1 ").append(status).append("\r\nConnection: close\r\n");
        headers.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
        out.write(s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        release();
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Serves one file until killed: {@code FaultyFileServer FILE} prints the URL. For bench/download. */
    public static void main(String[] args) throws Exception {
        FaultyFileServer server = new FaultyFileServer().serve("file", Path.of(args[0]));
        System.out.println(server.url("file"));
        System.out.flush();
        Thread.currentThread().join();
    }
}

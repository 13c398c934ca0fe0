package dev.paddock.provider;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A POST to a plain-HTTP server on this machine (a model's runner, a local Ollama or LM Studio) whose answer is read as it
 * arrives, on a blocking socket with no read timeout: one read system call a streamed token, where every Java HTTP client
 * with a read timeout makes three (a non-blocking read that finds nothing yet, a poll, the read). With a model on every
 * core, that CPU is the engine's: the gateway spent 189 µs a token that way, 96 µs this way (bench/gateway's per-thread
 * CPU). The timeout is kept by a timer that closes the socket once nothing has arrived for that long, which wakes the read.
 * One request a connection ({@code Connection: close}): an answer streamed for seconds gains nothing from keeping it.
 */
final class LoopbackStream implements Closeable {
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static final int MAX_HEAD = 64 * 1024;

    private final Socket socket;
    private final long idleNanos;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean timedOut;
    private volatile ScheduledFuture<?> check;
    private int status;
    private InputStream body;

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("paddock-read-timeout")
                .unstarted(r));
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** Whether {@code uri} is plain HTTP to a loopback name or address, which this client serves. */
    static boolean serves(URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost().replaceAll("^\\[|\\]$", "");
        return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    private LoopbackStream(Duration idle) {
        this.socket = new Socket();
        this.idleNanos = Math.max(1, idle.toNanos());
    }

    /**
     * Sends the request and reads the answer's status and headers.
     *
     * @throws ConnectException nothing listens there
     * @throws SocketTimeoutException nothing came for {@code idle}
     */
    static LoopbackStream post(URI uri, Map<String, String> headers, byte[] body, Duration idle) throws IOException {
        LoopbackStream s = new LoopbackStream(idle);
        s.arm(s.idleNanos);
        try {
            s.connect(uri);
            s.send(uri, headers, body);
            s.readHead();
            return s;
        } catch (IOException e) {
            s.close();
            throw s.timedOut ? new SocketTimeoutException("Read timed out") : e;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    int status() {
        return status;
    }

    /** The answer's body as it arrives (chunks decoded); a read after the timeout fails with {@link SocketTimeoutException}. */
    InputStream body() {
        return body;
    }

    @Override
    public void close() {
        ScheduledFuture<?> c = check;
        if (c != null) {
            c.cancel(false);
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Checks in {@code nanos} whether anything arrived meanwhile; closes the socket if not. */
    private void arm(long nanos) {
        check = TIMER.schedule(() -> {
            long left = lastProgress + idleNanos - System.nanoTime();
            if (left > 0) {
                if (!socket.isClosed()) {
                    arm(left);
                }
                return;
            }
            timedOut = true;
            close();
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void connect(URI uri) throws IOException {
        String host = uri.getHost().replaceAll("^\\[|\\]$", "");
        int port = uri.getPort() != -1 ? uri.getPort() : 80;
        InetAddress[] addresses = host.equalsIgnoreCase("localhost") ? InetAddress.getAllByName("localhost") : new InetAddress[] {
                InetAddress.getByName(host)};
        for (int i = 0; ; i++) {
            try {
                // no connect timeout: one would leave the socket non-blocking, and a loopback connect is answered at once
                socket.connect(new InetSocketAddress(addresses[i], port));
                break;
            } catch (ConnectException refused) {
                if (i == addresses.length - 1 || socket.isClosed()) {
                    throw refused;
                }
            }
        }
        socket.setTcpNoDelay(true);
    }

    /** The request line, headers and body in one write (two small writes wait on each other under Nagle). */
    private void send(URI uri, Map<String, String> headers, byte[] body) throws IOException {
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority())
                .append("\r\nContent-Type: application/json\r\nAccept: text/event-stream, application/x-ndjson, application/json\r\n");
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Connection")) {
                return; // this client closes the connection after one answer whatever the caller asked
            }
            if ((name + value).chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("a request header holds a line break");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("User-Agent: Paddock\r\nContent-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        socket.getOutputStream().write(all);
    }

    private void readHead() throws IOException {
        InputStream in = new BufferedInputStream(new Progress(socket.getInputStream()), 16384);
        int[] budget = {MAX_HEAD};
        String statusLine;
        long length = -1;
        boolean chunked = false;
        do { // 1xx answers (100 Continue) come before the real one
            statusLine = line(in, budget);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                throw new IOException("the answer is not HTTP/1.1");
            }
            status = Integer.parseInt(parts[1]);
            for (String h = line(in, budget); !h.isEmpty(); h = line(in, budget)) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("the answer has a malformed header");
                }
                String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).strip();
                if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("the answer has a malformed Content-Length");
                    }
                }
            }
        } while (status >= 100 && status < 200);
        body = chunked ? new Chunked(in) : length >= 0 ? new Bounded(in, length) : in;
    }

    /** One header line without its line end, from at most {@code budget[0]} bytes of the head. */
    private static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the answer ended in its headers");
            }
            if (--budget[0] < 0) {
                throw new IOException("the answer's headers are over " + MAX_HEAD / 1024 + " KiB");
            }
            out.write(b);
        }
        String s = out.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The socket's stream, each read counted as progress; a read that fails after the timeout says so. */
    private final class Progress extends FilterInputStream {
        Progress(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                lastProgress = System.nanoTime();
                return n;
            } catch (IOException e) {
                throw timedOut ? new SocketTimeoutException("Read timed out") : e;
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body read in runs of known length: {@link #next} finds the next run, or says the body is over. */
    private abstract static class Body extends InputStream {
        final InputStream in;
        long left; // of the current run

        Body(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        /** Sets {@link #left} for the next run; false at the body's end. */
        abstract boolean next() throws IOException;

        /** What it means that the connection ended inside a run. */
        abstract String cutShort();

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0 && !next()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException(cutShort());
            }
            left -= n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of a known length. */
    private static final class Bounded extends Body {
        Bounded(InputStream in, long length) {
            super(in, length);
        }

        @Override
        boolean next() {
            return false;
        }

        @Override
        String cutShort() {
            return "the answer ended before its Content-Length";
        }
    }

    /** A chunked body (RFC 9112 §7.1), decoded; its trailers are read and dropped. */
    private static final class Chunked extends Body {
        private boolean inChunks; // a chunk was read, whose line end comes before the next size
        private boolean done;

        Chunked(InputStream in) {
            super(in, 0);
        }

        @Override
        String cutShort() {
            return "the answer ended inside a chunk";
        }

        /** Reads the next chunk's size; false at the last chunk (its trailers read). */
        @Override
        boolean next() throws IOException {
            if (done) {
                return false;
            }
            if (inChunks) { // read only now: a chunk's text goes to the reader before its line end has come
                crlf();
            }
            inChunks = true;
            int[] budget = {MAX_HEAD};
            String size = line(in, budget);
            int ext = size.indexOf(';');
            try {
                left = Long.parseLong((ext < 0 ? size : size.substring(0, ext)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("the answer has a malformed chunk size");
            }
            if (left < 0) {
                throw new IOException("the answer has a malformed chunk size");
            }
            if (left == 0) {
                done = true;
                while (!line(in, budget).isEmpty()) {
                    // trailers
                }
                return false;
            }
            return true;
        }

        private void crlf() throws IOException {
            int cr = in.read();
            int lf = cr == '\r' ? in.read() : cr;
            if (lf != '\n') {
                throw new IOException("the answer has a malformed chunk end");
            }
        }
    }
}

package dev.paddock.download;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.store.AtomicFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A download in progress under {@code partial/<job>/}: {@code data} (the file, written at its final
 * offsets), {@code state.json} (which file and version: URL, ETag, size, piece size) and {@code ledger}
 * (append-only lines "piece bytes-done", so a kill -9 loses at most the last MiB of each connection).
 */
final class PartialDownload {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the data belongs to; a different ETag or size on resume means the bytes are stale. */
    record State(String url, String etag, Long sizeBytes, long pieceBytes) {}

    private final Path dir;
    private OutputStream ledger;

    PartialDownload(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path data() {
        return dir.resolve("data");
    }

    Path lockFile() {
        return dir.resolve("lock");
    }

    State state() {
        try {
            return JSON.readValue(Files.readAllBytes(dir.resolve("state.json")), State.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // torn or foreign: start over
        }
    }

    /** Starts afresh for this state: empty data, empty ledger. */
    void reset(State s) throws IOException {
        closeLedger();
        Files.createDirectories(dir);
        Files.deleteIfExists(data());
        Files.deleteIfExists(dir.resolve("ledger"));
        Files.createFile(data());
        AtomicFile.write(dir.resolve("state.json"), JSON.writeValueAsBytes(s));
    }

    /** Bytes done per piece, replayed from the ledger (a torn last line is ignored). */
    long[] progress(int pieces) throws IOException {
        long[] done = new long[pieces];
        Path ledgerFile = dir.resolve("ledger");
        if (!Files.exists(ledgerFile)) {
            return done;
        }
        try (Stream<String> lines = Files.lines(ledgerFile, StandardCharsets.US_ASCII)) {
            lines.forEach(line -> {
                String[] f = line.split(" ");
                if (f.length == 2) {
                    try {
                        int piece = Integer.parseInt(f[0]);
                        long bytes = Long.parseLong(f[1]);
                        if (piece >= 0 && piece < pieces) {
                            done[piece] = Math.max(done[piece], bytes);
                        }
                    } catch (NumberFormatException ignored) {
                        // a torn line
                    }
                }
            });
        }
        return done;
    }

    /** Records that {@code bytes} of the piece are on disk. Called at most every MiB per connection. */
    synchronized void record(int piece, long bytes) throws IOException {
        if (ledger == null) {
            ledger = Files.newOutputStream(dir.resolve("ledger"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        ledger.write((piece + " " + bytes + "\n").getBytes(StandardCharsets.US_ASCII));
        ledger.flush(); // into the kernel: survives the process being killed
    }

    synchronized void closeLedger() throws IOException {
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }

    void delete() {
        try {
            closeLedger();
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException ignored) {
            // a leftover folder is harmless; the next pull of the job starts it over
        }
    }
}

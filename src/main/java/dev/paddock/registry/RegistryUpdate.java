package dev.paddock.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code paddock registry update [URL|FILE]}: reads a price file in LiteLLM's format, checks it, and puts it in
 * the home in place of the one in use, saying what changed. Nothing is replaced unless the new file is
 * sound: not JSON, another format, no model of a provider Paddock knows, or a failed download leave the old
 * prices in place. Messages name the source, never repeat its content.
 */
public final class RegistryUpdate {
    /** LiteLLM's file is ~1.5 MB; anything far larger is not it. */
    static final long MAX_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Clock clock;

    public RegistryUpdate(Path home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /** A model whose list price moved. */
    public record Repriced(String id, Price before, Price after) {}

    /**
     * @param added ids the new file has and the old one did not; {@code removed} the reverse
     * @param unpriced models of the new file without a complete price (reported as unknown, never $0)
     */
    public record Result(String source, String asOf, int models, String previousSource, String previousAsOf, List<String> added,
            List<String> removed, List<Repriced> repriced, int unpriced) {}

    public Result run(String source, Registry current) {
        boolean remote = source.startsWith("https://") || source.startsWith("http://");
        byte[] data = remote ? fetch(URI.create(source)) : read(Path.of(source));
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (IOException e) {
            throw PaddockException.invalidInput(source + " is not JSON; expected LiteLLM's model_prices_and_context_window.json");
        }
        if (root == null || !LiteLlmFormat.looksLike(root)) {
            throw PaddockException.invalidInput(source + " is not in LiteLLM's price format (an object of models, each with "
                    + "\"litellm_provider\"); Paddock's own registry format goes in registry.files");
        }
        String asOf = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        List<RegistryEntry> entries = LiteLlmFormat.parse(root, asOf, source);
        if (entries.isEmpty()) {
            throw PaddockException.invalidInput(source + " has no model of a provider Paddock knows; the prices in use are kept");
        }
        PriceFile before = current.prices();
        Result result = diff(before, entries, source, asOf);
        PriceFile.install(home, data, source, asOf);
        return result;
    }

    static Result diff(PriceFile before, List<RegistryEntry> after, String source, String asOf) {
        Map<String, RegistryEntry> old = before.entries().stream().collect(Collectors.toMap(RegistryEntry::id, Function.identity(), (a, b) -> b));
        Map<String, RegistryEntry> now = after.stream().collect(Collectors.toMap(RegistryEntry::id, Function.identity(), (a, b) -> b));
        List<String> added = now.keySet().stream().filter(id -> !old.containsKey(id)).sorted().toList();
        List<String> removed = old.keySet().stream().filter(id -> !now.containsKey(id)).sorted().toList();
        List<Repriced> repriced = new ArrayList<>();
        now.values().stream().filter(e -> old.containsKey(e.id())).sorted(java.util.Comparator.comparing(RegistryEntry::id)).forEach(e -> {
            Price was = old.get(e.id()).price();
            if (!samePrice(was, e.price())) {
                repriced.add(new Repriced(e.id(), was, e.price()));
            }
        });
        int unpriced = (int) now.values().stream().filter(e -> e.price() == null).count();
        return new Result(source, asOf, now.size(), before.source(), before.asOf(), added, removed, repriced, unpriced);
    }

    private static boolean samePrice(Price a, Price b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.inputPerMillion() == b.inputPerMillion() && a.outputPerMillion() == b.outputPerMillion()
                && Objects.equals(a.cachedInputPerMillion(), b.cachedInputPerMillion());
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw PaddockException.invalidInput(file + " is larger than " + (MAX_BYTES >> 20) + " MiB; it is not a price file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw PaddockException.notFound("no file " + file + "; give a URL (https://…) or the path of a price file in LiteLLM's format");
        } catch (IOException e) {
            throw PaddockException.invalidInput("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static byte[] fetch(URI uri) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
        try (http) {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).header("Accept", "application/json").GET().build();
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = res.body()) {
                if (res.statusCode() != 200) {
                    throw new PaddockException(ErrorCode.UNAVAILABLE, uri + " answered " + res.statusCode() + "; the prices in use are kept");
                }
                byte[] data = body.readNBytes((int) MAX_BYTES + 1);
                if (data.length > MAX_BYTES) {
                    throw PaddockException.invalidInput(uri + " sent more than " + (MAX_BYTES >> 20) + " MiB; it is not a price file");
                }
                return data;
            }
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "cannot reach " + uri.getHost() + " ("
                    + dev.paddock.error.NetworkFailure.reason(e) + "); the prices in use are kept", e);
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.UNAVAILABLE, "the download of " + uri + " failed ("
                    + dev.paddock.error.NetworkFailure.reason(e) + "); the prices in use are kept", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(ErrorCode.INTERNAL, "interrupted while fetching " + uri, e);
        }
    }
}

package dev.paddock.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * The LiteLLM-format price file in use: the one {@code paddock registry update} last wrote into the home
 * ({@code registry/model_prices_and_context_window.json}, with its source and date beside it in
 * {@code registry/prices.json}), else the snapshot bundled with Paddock.
 *
 * @param source where it came from (a URL, a file, or the bundled snapshot's origin)
 * @param asOf the day its prices were taken (ISO date)
 * @param entries its models, each price stamped with {@code asOf}
 */
public record PriceFile(String source, String asOf, boolean bundled, List<RegistryEntry> entries) {
    /**
     * The day the bundled snapshot was synced from LiteLLM's file, and where it came from (through the mirror
     * Wei-Shaw/model-price-repo at f9ff147, MIT: {@code registry/LICENSE-model-prices}).
     */
    public static final String BUNDLED_AS_OF = "2026-07-24";

    public static final String BUNDLED_SOURCE = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json";

    static final String FILE_NAME = "model_prices_and_context_window.json";
    private static final String META_NAME = "prices.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public PriceFile {
        entries = List.copyOf(entries);
    }

    /** The home's file when there is a sound one; a broken one is reported and the bundled snapshot used. */
    public static PriceFile current(Path home, Consumer<String> warnings) {
        Path file = folder(home).resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            try {
                JsonNode meta = JSON.readTree(folder(home).resolve(META_NAME).toFile());
                String source = meta.path("source").asText("unknown");
                String asOf = meta.path("as_of").asText(BUNDLED_AS_OF);
                JsonNode root = JSON.readTree(file.toFile());
                if (LiteLlmFormat.looksLike(root)) {
                    return new PriceFile(source, asOf, false, LiteLlmFormat.parse(root, asOf, source));
                }
                warnings.accept("the price file " + file + " is not in LiteLLM's format; using the bundled prices of " + BUNDLED_AS_OF
                        + " (run \"paddock registry update\" again)");
            } catch (IOException e) {
                warnings.accept("the price file " + file + " cannot be read; using the bundled prices of " + BUNDLED_AS_OF
                        + " (run \"paddock registry update\" again)");
            }
        }
        return snapshot();
    }

    public static PriceFile snapshot() {
        try (InputStream in = PriceFile.class.getResourceAsStream("/registry/" + FILE_NAME)) {
            return new PriceFile(BUNDLED_SOURCE, BUNDLED_AS_OF, true, LiteLlmFormat.parse(JSON.readTree(in), BUNDLED_AS_OF, BUNDLED_SOURCE));
        } catch (IOException e) {
            throw new IllegalStateException("the bundled price file is unreadable", e);
        }
    }

    /** Writes a verified file and its source and date into the home, each atomically, the data first. */
    static void install(Path home, byte[] data, String source, String asOf) {
        Path dir = folder(home);
        try {
            Files.createDirectories(dir);
            ObjectNode meta = JSON.createObjectNode().put("source", source).put("as_of", asOf);
            write(dir.resolve(FILE_NAME), data);
            write(dir.resolve(META_NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
        } catch (IOException e) {
            throw PaddockException.storage("cannot write the price file into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path target, byte[] data) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path folder(Path home) {
        return home.resolve("registry");
    }
}

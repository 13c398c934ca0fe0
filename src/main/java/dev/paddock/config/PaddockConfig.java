package dev.paddock.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paddock's settings, resolved once: flag, then {@code PADDOCK_*} environment variable, then
 * {@code config.toml} in the home folder, then the default.
 */
public final class PaddockConfig {
    public static final String FILE_NAME = "config.toml";

    private final Map<Setting, ConfigValue> values;
    private final Path home;
    private final List<String> warnings;
    private final Map<String, Map<String, String>> providers;

    private PaddockConfig(Map<Setting, ConfigValue> values, Path home, List<String> warnings,
            Map<String, Map<String, String>> providers) {
        this.values = values;
        this.home = home;
        this.warnings = List.copyOf(warnings);
        this.providers = providers;
    }

    /**
     * @param flags settings given on the command line, by key
     * @param env the process environment
     */
    public static PaddockConfig load(Map<String, String> flags, Map<String, String> env) {
        for (String key : flags.keySet()) {
            if (Setting.byKey(key) == null) {
                throw PaddockException.invalidInput("unknown setting \"" + key + "\"; \"paddock config\" lists them all");
            }
        }
        Map<Setting, ConfigValue> values = new LinkedHashMap<>();
        ConfigValue homeValue = pick(Setting.HOME, flags, env, Map.of());
        values.put(Setting.HOME, homeValue);
        Path home = expandHome(homeValue.value(), env);
        List<String> warnings = new ArrayList<>();
        Map<String, String> file = readFile(home.resolve(FILE_NAME), warnings);
        Map<String, Map<String, String>> providers = new LinkedHashMap<>();
        file.forEach((key, value) -> {
            String[] parts = key.split("\\.", 3);
            if (parts.length == 3 && parts[0].equals("providers")) {
                providers.computeIfAbsent(parts[1], k -> new LinkedHashMap<>()).put(parts[2], value);
            }
        });
        for (Setting s : Setting.ALL) {
            if (s != Setting.HOME) {
                values.put(s, pick(s, flags, env, file));
            }
        }
        ConfigValue url = values.get(Setting.DATABASE_URL);
        if (url.source() == ConfigValue.Source.DEFAULT) {
            values.put(Setting.DATABASE_URL, new ConfigValue(Setting.DATABASE_URL,
                    "jdbc:sqlite:" + home.resolve("paddock.db"), ConfigValue.Source.DEFAULT));
        }
        ConfigValue cache = values.get(Setting.ENGINE_CACHE_DIR);
        String xdg = env.get("XDG_CACHE_HOME");
        String cacheDir = cache.source() == ConfigValue.Source.DEFAULT && xdg != null && !xdg.isBlank()
                ? Path.of(xdg, "paddock").toString() : expandHome(cache.value(), env).toString();
        values.put(Setting.ENGINE_CACHE_DIR, new ConfigValue(Setting.ENGINE_CACHE_DIR, cacheDir, cache.source()));
        return new PaddockConfig(values, home, warnings, providers);
    }

    public Path home() {
        return home;
    }

    public String get(Setting setting) {
        return values.get(setting).value();
    }

    /** The {@code [providers.NAME]} sections of the config file: NAME → (kind, url, api_key_env). */
    public Map<String, Map<String, String>> providers() {
        return providers;
    }

    /** A comma-separated setting as its items, each stripped; empty items are dropped. */
    public List<String> list(Setting s) {
        return java.util.Arrays.stream(get(s).split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    public int integer(Setting s) {
        try {
            return Integer.parseInt(get(s).strip());
        } catch (NumberFormatException e) {
            throw PaddockException.invalidInput("setting " + s.key() + " must be a whole number, not \"" + get(s) + "\"");
        }
    }

    public List<ConfigValue> all() {
        return List.copyOf(values.values());
    }

    /** Problems found in the config file that did not stop Paddock (unknown keys). */
    public List<String> warnings() {
        return warnings;
    }

    private static ConfigValue pick(Setting s, Map<String, String> flags, Map<String, String> env,
            Map<String, String> file) {
        if (flags.containsKey(s.key())) {
            return new ConfigValue(s, flags.get(s.key()), ConfigValue.Source.FLAG);
        }
        String fromEnv = env.get(s.environmentVariable());
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return new ConfigValue(s, fromEnv, ConfigValue.Source.ENVIRONMENT);
        }
        if (file.containsKey(s.key())) {
            return new ConfigValue(s, file.get(s.key()), ConfigValue.Source.FILE);
        }
        return new ConfigValue(s, s.defaultValue(), ConfigValue.Source.DEFAULT);
    }

    private static Path expandHome(String value, Map<String, String> env) {
        String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
        if (value.equals("~")) {
            return Path.of(userHome);
        }
        if (value.startsWith("~/")) {
            return Path.of(userHome, value.substring(2)).toAbsolutePath().normalize();
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    /** Flattens {@code [database] url = "…"} into {@code database.url}. */
    private static Map<String, String> readFile(Path file, List<String> warnings) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw PaddockException.invalidInput("cannot read the config file " + file + ": " + why);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root, flat);
        for (String key : flat.keySet()) {
            if (key.startsWith("providers.") && key.split("\\.").length == 3) {
                continue; // a provider section, read by providers()
            }
            if (Setting.byKey(key) == null || key.equals(Setting.HOME.key())) {
                warnings.add("config file " + file + ": unknown setting \"" + key + "\" is ignored");
            }
        }
        flat.remove(Setting.HOME.key());
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, node.isTextual() ? node.textValue() : node.toString());
        }
    }
}

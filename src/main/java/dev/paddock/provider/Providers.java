package dev.paddock.provider;

import dev.paddock.error.PaddockException;
import dev.paddock.model.Suggestion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The fleet: every configured provider by name, and how a model reference picks one.
 * {@code provider/model} or {@code provider:model} names a provider's model ({@code ollama/llama3.2:1b},
 * {@code groq:llama-3.1-8b-instant}); anything else is a model of the local store.
 */
public final class Providers implements AutoCloseable {
    private final Map<String, Provider> byName = new LinkedHashMap<>();
    private final java.util.Set<String> quiet;

    /** @param quiet providers that are only probed (the default Ollama): unreachable is not worth a warning */
    public Providers(List<Provider> providers, java.util.Set<String> quiet) {
        providers.forEach(p -> byName.put(p.name(), p));
        this.quiet = java.util.Set.copyOf(quiet);
    }

    public List<Provider> all() {
        return List.copyOf(byName.values());
    }

    public Optional<Provider> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isQuiet(String name) {
        return quiet.contains(name);
    }

    /** A provider and the model's name as that provider knows it. */
    public record Target(Provider provider, String model) {}

    public Target resolve(String reference, String localProvider) {
        String ref = reference.strip();
        for (char sep : new char[] {'/', ':'}) {
            int i = ref.indexOf(sep);
            if (i > 0) {
                String prefix = ref.substring(0, i);
                Provider p = byName.get(prefix);
                if (p != null) {
                    return new Target(p, ref.substring(i + 1));
                }
                if (sep == '/') {
                    String hint = Suggestion.closest(prefix, byName.keySet()).map(s -> "; did you mean \"" + s + "\"?")
                            .orElse("; \"paddock providers\" lists them");
                    throw PaddockException.notFound("no provider named \"" + prefix + "\"" + hint);
                }
            }
        }
        return new Target(byName.get(localProvider), ref);
    }

    /**
     * The one spelling of a model reference that runs, history and comparisons are filed under: a local
     * model's name in full ({@code X} and {@code x:latest} are {@code x:latest}), another provider's as
     * {@code provider/model}. A bad local name fails here with the name rules.
     */
    public String canonical(String reference, String localProvider) {
        Target t = resolve(reference, localProvider);
        if (t.provider().name().equals(localProvider)) {
            return dev.paddock.model.ModelName.parse(t.model()).toString();
        }
        return t.provider().name() + "/" + t.model();
    }

    /** Models of every provider; an unreachable one costs a warning (or nothing, if quiet), not the listing. */
    public List<ProviderModel> listAll(Consumer<String> warnings) {
        return listAllExcept(null, warnings);
    }

    /**
     * As {@link #listAll}, leaving out one provider (one the caller lists another way); null leaves out none.
     * The providers are asked at once, each on its own thread, so the slowest alone sets the wait; the
     * answers and warnings keep the providers' order.
     */
    public List<ProviderModel> listAllExcept(String skipped, Consumer<String> warnings) {
        List<Provider> asked = byName.values().stream().filter(p -> !p.name().equals(skipped)).toList();
        List<java.util.concurrent.CompletableFuture<List<ProviderModel>>> answers = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Provider p : asked) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> worthAsking(p) ? p.listModels() : List.of(), threads));
            }
        }
        List<ProviderModel> out = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            try {
                out.addAll(answers.get(i).join());
            } catch (java.util.concurrent.CompletionException e) {
                if (!(e.getCause() instanceof PaddockException pe)) {
                    throw e;
                }
                if (!quiet.contains(asked.get(i).name())) {
                    warnings.accept("provider " + asked.get(i).name() + ": " + pe.getMessage());
                }
            }
        }
        return out;
    }

    /** False for a probed provider (the default Ollama) that nothing listens for: asking it would only fail. */
    public boolean worthAsking(Provider p) {
        return !quiet.contains(p.name()) || listening(p.location());
    }

    /**
     * Whether something accepts connections at a provider's address: a probed provider (the default Ollama)
     * that is not running is found out by one refused connection, without setting up an HTTP client.
     */
    private static boolean listening(String location) {
        try {
            java.net.URI u = java.net.URI.create(location);
            int port = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            if (u.getHost() == null) {
                return true;
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(u.getHost(), port), 500);
                return true;
            }
        } catch (java.io.IOException e) {
            return false;
        } catch (IllegalArgumentException e) {
            return true; // not a URL: let the provider say what is wrong
        }
    }

    @Override
    public void close() {
        byName.values().forEach(Provider::close);
    }
}

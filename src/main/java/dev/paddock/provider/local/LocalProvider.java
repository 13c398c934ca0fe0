package dev.paddock.provider.local;

import dev.paddock.error.ErrorCode;
import dev.paddock.error.PaddockException;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.JsonHttp;
import dev.paddock.provider.ModelLoader;
import dev.paddock.provider.Provider;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.openai.OpenAiClient;
import dev.paddock.runner.LoadedRunner;
import dev.paddock.runner.ProcessMemory;
import dev.paddock.runner.RunnerDefaults;
import dev.paddock.runner.RunnerSupervisor;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoredModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The local store served by Paddock's own runners: each model is loaded in a runner process on first
 * use and reached through the same OpenAI client as any other server.
 */
public final class LocalProvider implements Provider, ModelLoader, dev.paddock.provider.EmbeddingProvider,
        dev.paddock.provider.TextCompletionProvider, dev.paddock.provider.TokenCounter {
    public static final String NAME = "local";

    private final java.util.function.Supplier<ModelStore> stores;
    private final RunnerSupervisor supervisor;
    private final JsonHttp http = new JsonHttp("the runner", Duration.ofSeconds(5));

    public LocalProvider(ModelStore store, RunnerSupervisor supervisor) {
        this(() -> store, supervisor);
    }

    /** @param stores the store, made when first needed: "ps" reads only the runners, not the database */
    public LocalProvider(java.util.function.Supplier<ModelStore> stores, RunnerSupervisor supervisor) {
        this.stores = stores;
        this.supervisor = supervisor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String kind() {
        return NAME;
    }

    @Override
    public String location() {
        return stores.get().layout().home().toString();
    }

    @Override
    public List<ProviderModel> listModels() {
        return stores.get().list().stream().map(m -> new ProviderModel(NAME, m.name().toString(), m.sizeBytes(),
                m.parameterCount(), m.quantization(), m.contextLength(), m.architecture())).toList();
    }

    /**
     * Runs {@code work} on the model's runner, counted among the requests it serves from loading to the end, so that
     * a reload or a requested unload waits for it.
     */
    private <T> T onRunner(String model, RunnerDefaults.Overrides overrides, java.util.function.Function<LoadedRunner, T> work) {
        ModelName name = ModelName.parse(model);
        ModelStore.Installed m = stores.get().installed(name);
        RunnerSupervisor.Loaded loaded = supervisor.acquire(name, m, overrides);
        LoadedRunner r = loaded.runner();
        try {
            T result = work.apply(r);
            if (loaded.started() && result instanceof ChatResult c) { // the load was part of this answer
                @SuppressWarnings("unchecked")
                T withLoad = (T) c.withLoadTime(loaded.loadTime());
                return withLoad;
            }
            return result;
        } finally {
            supervisor.release(r);
        }
    }

    /** Loads the model (if it is not loaded yet) and says how long that took. */
    public RunnerSupervisor.Loaded load(String model, RunnerDefaults.Overrides overrides) {
        ModelName name = ModelName.parse(model);
        ModelStore.Installed m = stores.get().installed(name); // the manifest, not the database: this runs before every request
        return supervisor.ensureRunning(name, m, overrides);
    }

    /**
     * A user message whose whole prompt is exactly {@code tokens} tokens for the model's engine, cut from
     * {@code filler}; empty when the engine cannot count them (the embedded engine).
     */
    public java.util.Optional<String> promptOfTokens(String model, int tokens, String filler, RunnerDefaults.Overrides overrides) {
        LoadedRunner r = load(model, overrides).runner();
        if (r.healthPort() == r.port()) {
            return java.util.Optional.empty(); // the embedded engine's runner has no tokenizer endpoints
        }
        return new ExactPrompt(http, r.port(), r.token()).ofTokens(tokens, filler);
    }

    /** The embedded engine samples with top_p and nothing more. */
    private static final java.util.Set<ChatRequest.Feature> EMBEDDED_FEATURES = java.util.EnumSet.of(ChatRequest.Feature.TOP_P);
    /**
     * What each llama-server runner (pid:port) said it can take; llama-server has the rest (JSON through grammars,
     * sampling, log-probabilities, llama.cpp's own extra fields), and tools and images as its model allows.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, EngineCapabilities> capabilities =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A request that names a context (Ollama's num_ctx) loads the model with it: a reload when it was loaded with another. */
    @Override
    public ChatResult chat(ChatRequest request, TokenListener listener) {
        return chat(request, listener, request.contextSize() == null ? RunnerDefaults.Overrides.NONE
                : new RunnerDefaults.Overrides(request.contextSize(), null, null, null, null));
    }

    /** Raw text continued by the model's runner (both engines have /v1/completions), with no chat template. */
    @Override
    public ChatResult complete(ChatRequest settings, String prompt, TokenListener listener) {
        return onRunner(settings.model(), RunnerDefaults.Overrides.NONE, r -> {
            boolean embedded = r.healthPort() == r.port();
            settings.requireOnly(embedded ? EMBEDDED_FEATURES : java.util.EnumSet.of(ChatRequest.Feature.TOP_P,
                    ChatRequest.Feature.PRESENCE_PENALTY, ChatRequest.Feature.FREQUENCY_PENALTY, ChatRequest.Feature.LOGPROBS,
                    ChatRequest.Feature.PASS_THROUGH), "text completions of local model " + settings.model(), null);
            return answered(r, settings.model(), () -> OpenAiClient.llamaCpp(http, r.baseUri(), r.token(), Duration.ofMinutes(30))
                    .complete(settings.withModel(r.model()), prompt, listener));
        });
    }

    public ChatResult chat(ChatRequest request, TokenListener listener, RunnerDefaults.Overrides overrides) {
        if (request.keepAlive() != null) {
            dev.paddock.runner.KeepAlive.parseSeconds(request.keepAlive()); // a bad one is refused before anything loads
        }
        return onRunner(request.model(), overrides, r -> {
            requireSupported(request, r);
            if (r.healthPort() != r.port() && request.keepAlive() != null) {
                extendKeepAlive(r, request.keepAlive());
            }
            // llama.cpp (de3ff81) fails a prompt that reuses a cached one up to an image ("Chunk not found"), and then every
            // later such prompt of that slot: a request with images is evaluated afresh
            ChatRequest sent = request.features().contains(ChatRequest.Feature.IMAGES) && request.cachePrompt() == null
                    && !(request.passThrough() != null && request.passThrough().has("cache_prompt")) ? request.withoutPromptCache() : request;
            ChatRequest shaped = r.healthPort() == r.port() ? sent : SchemaPatterns.forLlamaCpp(sent);
            return answered(r, request.model(), () -> OpenAiClient.llamaCpp(http, r.baseUri(), r.token(), Duration.ofMinutes(30))
                    .chat(shaped.withModel(r.model()), listener));
        });
    }

    /** Refuses by name what the runner's engine, or the model on it, cannot take. */
    private void requireSupported(ChatRequest request, LoadedRunner r) {
        boolean embedded = r.healthPort() == r.port();
        boolean toolHistory = request.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty() || m.role().equals("tool"));
        if (embedded) {
            request.requireOnly(EMBEDDED_FEATURES, "the embedded engine " + r.engine(),
                    "paddock engine install builds a current llama-server, which has tools, JSON schemas and the rest");
            if (toolHistory) {
                throw PaddockException.invalidInput("the conversation has tool calls or tool results, which the embedded engine "
                        + r.engine() + " cannot put in a prompt; paddock engine install builds a current llama-server, which has tools");
            }
        } else if (!request.features().isEmpty() || toolHistory) {
            EngineCapabilities caps = capabilities.computeIfAbsent(r.pid() + ":" + r.port(), k -> EngineCapabilities.read(http, r.port(),
                    r.token()));
            if (!caps.tools() && toolHistory) {
                throw PaddockException.invalidInput("the conversation has tool calls or tool results, and local model " + request.model()
                        + "'s chat template has no tool calling (it would leave them out of the prompt); choose a model made for tools");
            }
            java.util.Set<ChatRequest.Feature> supported = java.util.EnumSet.complementOf(java.util.EnumSet.of(
                    ChatRequest.Feature.IMAGES, ChatRequest.Feature.TOOLS, ChatRequest.Feature.TOOL_CHOICE,
                    ChatRequest.Feature.PARALLEL_TOOL_CALLS, ChatRequest.Feature.OPENAI_ONLY));
            if (caps.tools()) {
                supported.addAll(java.util.List.of(ChatRequest.Feature.TOOLS, ChatRequest.Feature.TOOL_CHOICE,
                        ChatRequest.Feature.PARALLEL_TOOL_CALLS));
            }
            if (caps.vision()) {
                supported.add(ChatRequest.Feature.IMAGES);
            }
            if (caps.vision() && request.messages().stream().flatMap(m -> m.images().stream()).anyMatch(i -> !i.url().startsWith("data:"))) {
                throw PaddockException.invalidInput("local model " + request.model() + " takes images as data: URLs (base64); this engine"
                        + " fetches no web addresses, so send the image's bytes");
            }
            int n = request.sampling().choiceCount();
            if (n > caps.slots()) {
                throw PaddockException.invalidInput("\"n\" is " + n + "; local model " + request.model() + " answers at most " + caps.slots()
                        + " at once, one per slot of its runner (runner.parallel)");
            }
            request.requireOnly(supported, "local model " + request.model(), !caps.tools() && request.features().contains(
                    ChatRequest.Feature.TOOLS) ? "its chat template has no tool calling (llama.cpp would ignore the tools); choose a"
                    + " model made for tools" : request.features().contains(ChatRequest.Feature.IMAGES) && !caps.vision()
                    ? "it has no vision projector (mmproj) loaded; choose a vision model" : null);
        }
    }

    /** A runner's answer; a runner that fails is diagnosed (crashed, out of memory…), one that answers is known healthy. */
    private ChatResult answered(LoadedRunner r, String model, java.util.function.Supplier<ChatResult> ask) {
        try {
            ChatResult result = ask.get();
            supervisor.confirmHealthy(r);
            stores.get().markUsed(ModelName.parse(model)); // bookkeeping (a database write): after the answer, not before it
            return result;
        } catch (PaddockException e) {
            String engineSaid = String.valueOf(e.getMessage());
            if (e.code() == ErrorCode.UNAVAILABLE && engineSaid.matches("(?s)the runner at \\S+ answered 5\\d\\d: .*") && r.alive()) {
                // the engine answered, with an error of its own: it did not stop answering
                throw new PaddockException(ErrorCode.UNAVAILABLE, "local model " + model + " failed the request: "
                        + engineSaid.replaceFirst("^the runner at \\S+ answered ", "the engine answered ") + " (log: " + r.logFile() + ")", e);
            }
            if (e.code() == ErrorCode.UNAVAILABLE) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, supervisor.diagnose(r), e);
            }
            if (e.code() == ErrorCode.INVALID_INPUT) { // the engine's reason, without the runner's private address
                throw new PaddockException(ErrorCode.INVALID_INPUT, "local model " + model + " refused the request: "
                        + String.valueOf(e.getMessage()).replaceFirst("^the runner at \\S+ answered \\d+: ", ""), e);
            }
            throw e;
        }
    }

    /** The request's prompt tokens through the model's own template and tokenizer (llama-server's /apply-template, /tokenize). */
    @Override
    public int countTokens(ChatRequest request) {
        return onRunner(request.model(), RunnerDefaults.Overrides.NONE, r -> {
            if (r.healthPort() == r.port()) {
                throw PaddockException.invalidInput("counting tokens needs a current engine; paddock engine install builds one");
            }
            requireSupported(request, r); // what the model would refuse to answer is not counted either
            return new ExactPrompt(http, r.port(), r.token()).tokensOf(OpenAiClient.body(request.withModel(r.model()), true));
        });
    }

    /** llama-server's words for an embedding input longer than its physical batch. */
    private static final java.util.regex.Pattern TOO_LONG = java.util.regex.Pattern.compile("input \\((\\d+) tokens\\) is (too large|larger than)");

    /**
     * Embeddings from llama-server's endpoint: the model is (re)loaded with it on the first request, and the same
     * runner then serves chat as well.
     */
    @Override
    public dev.paddock.provider.Embeddings embed(dev.paddock.provider.EmbeddingRequest req) {
        return onRunner(req.model(), RunnerDefaults.Overrides.NONE.withEmbeddings(), r -> embedOn(r, req));
    }

    private dev.paddock.provider.Embeddings embedOn(LoadedRunner r, dev.paddock.provider.EmbeddingRequest req) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JsonHttp.JSON.createObjectNode().put("encoding_format", "float");
        var input = body.putArray("input");
        req.inputs().forEach(input::add);
        dev.paddock.provider.Embeddings e;
        try {
            e = dev.paddock.provider.Embeddings.ofOpenAi(http.post(r.baseUri().resolve("embeddings"), java.util.Map.of("Authorization",
                    "Bearer " + r.token()), body, Duration.ofMinutes(10)), req.inputs().size(), "the runner of " + req.model());
        } catch (PaddockException ex) {
            java.util.regex.Matcher tooLong = TOO_LONG.matcher(String.valueOf(ex.getMessage()));
            if (tooLong.find() && req.truncate()) { // Ollama's way: the inputs cut to what the model takes at once, then again
                ExactPrompt cut = new ExactPrompt(http, r.port(), r.token());
                int limit = Math.min(r.contextSize(), 8192);
                return embedOn(r, req.withInputs(req.inputs().stream().map(t -> cut.cutTo(t, limit)).toList()).withoutTruncation());
            }
            if (tooLong.find(0)) { // llama-server's own limit: one input per physical batch
                throw PaddockException.invalidInput("an input of " + tooLong.group(1) + " tokens is longer than local model " + req.model()
                        + " embeds at once (" + Math.min(r.contextSize(), 8192) + " tokens); split it");
            }
            if (ex.code() == ErrorCode.UNAVAILABLE) {
                throw new PaddockException(ErrorCode.UNAVAILABLE, supervisor.diagnose(r), ex);
            }
            throw ex;
        }
        supervisor.confirmHealthy(r);
        int length = e.vectors().isEmpty() ? 0 : e.vectors().getFirst().length;
        if (req.dimensions() != null && req.dimensions() != length) {
            throw PaddockException.invalidInput("\"dimensions\" is not supported by local model " + req.model() + ": its embeddings have "
                    + length + " dimensions; leave it out or send " + length);
        }
        return e;
    }

    @Override
    public List<LoadedModel> loadedModels() {
        return supervisor.loaded().stream().map(r -> new LoadedModel(NAME, r.model(),
                r.memory().map(ProcessMemory::residentBytes).orElse(null), null, r.started(),
                r.keepAliveSeconds() < 0 ? null : expiry(r))).toList();
    }

    /** The runner tracks its own idle time and says, on /health, when it will unload. */
    private Instant expiry(LoadedRunner r) {
        try {
            long left = http.get(java.net.URI.create("http://127.0.0.1:" + r.healthPort() + "/health"), java.util.Map.of(),
                    Duration.ofSeconds(2)).path("expires_in_seconds").asLong(-1);
            return left < 0 ? null : Instant.now().plusSeconds(left);
        } catch (PaddockException e) {
            return null;
        }
    }

    /** llama-server has no keep_alive of its own: its runner keeps it, and takes a new one on its control port. */
    private void extendKeepAlive(LoadedRunner r, String keepAlive) {
        http.post(java.net.URI.create("http://127.0.0.1:" + r.healthPort() + "/keep-alive"), java.util.Map.of("Authorization",
                "Bearer " + r.token()), keepAlive, Duration.ofSeconds(5));
    }

    /** Loads the model (if it is not loaded) to stay for {@code keepAlive} from now (Ollama's request with nothing to answer). */
    public void loadFor(String model, String keepAlive) {
        long seconds = dev.paddock.runner.KeepAlive.parseSeconds(keepAlive);
        RunnerSupervisor.Loaded loaded = load(model, new RunnerDefaults.Overrides(null, null, null, seconds, null));
        LoadedRunner r = loaded.runner();
        if (!loaded.started() && r.healthPort() != r.port()) {
            extendKeepAlive(r, keepAlive);
        }
    }

    /** Unloads the model once the requests it is serving are answered (Ollama's keep_alive 0). */
    public boolean unloadWhenIdle(String model) {
        return supervisor.stopWhenIdle(ModelName.parse(model));
    }

    @Override
    public boolean unload(String model) {
        return supervisor.stop(ModelName.parse(model));
    }

    @Override
    public void close() {
        http.close();
    }
}

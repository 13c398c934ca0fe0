package dev.paddock.serving;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.Providers;
import dev.paddock.provider.TokenListener;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sends a chat to whichever provider a model reference names, and records the request either way. */
public final class ChatService {
    private final Providers providers;
    private final RequestLog log;
    private final Clock clock;
    private final String localProvider;

    public ChatService(Providers providers, RequestLog log, Clock clock, String localProvider) {
        this.providers = providers;
        this.log = log;
        this.clock = clock;
        this.localProvider = localProvider;
    }

    /** Chooses models for {@code auto} and {@code auto:<task>}; null: automatic choice is off. */
    public interface AutoChoice {
        /** The models to try, best first, each with every capability in {@code needs} (tools, json, vision). */
        List<String> choose(String auto, java.util.Set<String> needs);

        boolean isAuto(String model);
    }

    private AutoChoice auto;

    /** What a request cost at list price; null when unknown. */
    @FunctionalInterface
    public interface Pricing {
        Pricing UNKNOWN = (provider, model, prompt, completion) -> null;

        Double cost(String provider, String model, Integer promptTokens, Integer completionTokens);
    }

    private Pricing pricing = Pricing.UNKNOWN;

    public ChatService withPricing(Pricing p) {
        this.pricing = p;
        return this;
    }

    public ChatService withAutoChoice(AutoChoice choice) {
        this.auto = choice;
        return this;
    }

    /**
     * Answers with the named model, or for {@code auto[:task]} with the best available one, falling back to
     * the next when a provider fails before its first token.
     */
    public ChatResult chat(ChatRequest request, TokenListener listener, String source) {
        return chat(request, listener, source, m -> {});
    }

    /** As {@link #chat(ChatRequest, TokenListener, String)}; {@code trying} hears each model as it is tried. */
    public ChatResult chat(ChatRequest request, TokenListener listener, String source, java.util.function.Consumer<String> trying) {
        if (auto == null || !auto.isAuto(request.model())) {
            trying.accept(request.model());
            return chatWith(request, listener, source);
        }
        java.util.Set<String> needs = needs(request);
        List<String> choices = auto.choose(request.model(), needs);
        if (choices.isEmpty()) {
            throw PaddockException.notFound("no model is available for " + request.model() + (needs.isEmpty() ? ""
                    : " that takes " + String.join(" and ", needs)) + "; install one (paddock pull) or configure a provider");
        }
        PaddockException last = null;
        for (String model : choices) {
            boolean[] started = {false};
            trying.accept(model);
            try {
                return chatWith(request.withModel(model), listener.onEach(() -> started[0] = true), source);
            } catch (PaddockException e) {
                if (started[0] || e.code() != dev.paddock.error.ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                last = e; // failed before its first token: the next choice may answer
            }
        }
        throw last;
    }

    /** What a model must be able to do to answer this request, in the registry's capability names. */
    static java.util.Set<String> needs(ChatRequest request) {
        java.util.Set<String> needs = new java.util.TreeSet<>();
        var f = request.features();
        if (f.contains(ChatRequest.Feature.TOOLS) && !request.toolsOff()) {
            needs.add("tools");
        }
        if (f.contains(ChatRequest.Feature.JSON_SCHEMA) || f.contains(ChatRequest.Feature.JSON_OBJECT)) {
            needs.add("json");
        }
        if (f.contains(ChatRequest.Feature.IMAGES)) {
            needs.add("vision");
        }
        return needs;
    }

    /** The name a request is filed under: one per local model, "x" and "x:latest" alike (status and analytics count them together). */
    private String logged(Providers.Target target) {
        if (target.provider().name().equals(localProvider)) {
            try {
                return dev.paddock.model.ModelName.parse(target.model()).toString();
            } catch (PaddockException notAName) {
                return target.model(); // the request's own error says what is wrong with it
            }
        }
        return target.model();
    }

    /** Whether this thread's request has been recorded since {@link #beginRecording()}: a refusal before any is recorded apart. */
    private static final ThreadLocal<Boolean> RECORDED = ThreadLocal.withInitial(() -> false);

    public static void beginRecording() {
        RECORDED.set(false);
    }

    public static boolean recorded() {
        return RECORDED.get();
    }

    private void record(RequestRecord r) {
        RECORDED.set(true);
        log.record(r);
    }

    /**
     * A request refused before it reached a provider (a bad field, an unknown model, a feature the model lacks): recorded
     * as an error of the model it named, so that status and analytics count every request.
     */
    public void refused(String model, String source, String error) {
        String provider = "unknown";
        String name = model == null || model.isBlank() ? "(none)" : model;
        try {
            Providers.Target t = providers.resolve(name, localProvider);
            provider = t.provider().name();
            name = logged(t);
        } catch (RuntimeException unknown) {
            // the model named no provider: filed under its name as given
        }
        record(new RequestRecord(UUID.randomUUID().toString(), name, provider, source, clock.instant(), null, 0, null, null,
                RequestRecord.ERROR, error, null));
    }

    /** Embeds with the named model's provider, recorded like a chat (no first token, no completion tokens). */
    public dev.paddock.provider.Embeddings embed(dev.paddock.provider.EmbeddingRequest request, String source) {
        if (auto != null && auto.isAuto(request.model())) {
            throw PaddockException.invalidInput("\"" + request.model() + "\" chooses chat models; name the embedding model to use");
        }
        Providers.Target target = providers.resolve(request.model(), localProvider);
        if (!(target.provider() instanceof dev.paddock.provider.EmbeddingProvider embedder)) {
            throw PaddockException.invalidInput(target.provider().name() + " (" + target.provider().kind()
                    + ") has no embeddings API; choose a local, OpenAI-compatible, Ollama or Gemini model");
        }
        Instant started = clock.instant();
        long begin = System.nanoTime();
        try {
            dev.paddock.provider.Embeddings e = embedder.embed(request.withModel(target.model()));
            record(new RequestRecord(UUID.randomUUID().toString(), logged(target), target.provider().name(), source, started, null,
                    (System.nanoTime() - begin) / 1e6, e.promptTokens(), null, RequestRecord.OK, null,
                    pricing.cost(target.provider().name(), target.model(), e.promptTokens(), 0)));
            return e;
        } catch (RuntimeException e) {
            record(new RequestRecord(UUID.randomUUID().toString(), logged(target), target.provider().name(), source, started, null,
                    (System.nanoTime() - begin) / 1e6, null, null, RequestRecord.ERROR, String.valueOf(e.getMessage()), null));
            throw e;
        }
    }

    /** What an answer of {@code model} (as a request names it) cost in USD at the registry's prices; null when unknown or local. */
    public Double cost(String model, ChatResult r) {
        try {
            Providers.Target target = providers.resolve(model, localProvider);
            return pricing.cost(target.provider().name(), target.model(), r.promptTokens(), r.completionTokens());
        } catch (RuntimeException unknown) {
            return null;
        }
    }

    private ChatResult chatWith(ChatRequest request, TokenListener listener, String source) {
        return answer(request, source, (provider, r) -> provider.chat(r, listener));
    }

    /** The request's input tokens as its model's provider counts them, without an answer (not logged: nothing is generated). */
    public int countTokens(ChatRequest request) {
        if (auto != null && auto.isAuto(request.model())) {
            throw PaddockException.invalidInput("\"" + request.model() + "\" chooses a model per request; name the model to count for");
        }
        Providers.Target target = providers.resolve(request.model(), localProvider);
        if (!(target.provider() instanceof dev.paddock.provider.TokenCounter counter)) {
            throw PaddockException.invalidInput(target.provider().name() + " (" + target.provider().kind()
                    + ") cannot count tokens; local models and Anthropic can");
        }
        return counter.countTokens(request.withModel(target.model()));
    }

    /** Continues raw text with the named model ({@code /v1/completions}), recorded like a chat. */
    public ChatResult complete(ChatRequest settings, String prompt, TokenListener listener, String source) {
        if (auto != null && auto.isAuto(settings.model())) {
            throw PaddockException.invalidInput("\"" + settings.model() + "\" chooses chat models; name the model to complete text with");
        }
        return answer(settings, source, (provider, r) -> {
            if (!(provider instanceof dev.paddock.provider.TextCompletionProvider completer)) {
                throw PaddockException.invalidInput(provider.name() + " (" + provider.kind() + ") has no text completions;"
                        + " send the prompt to /v1/chat/completions as a user message");
            }
            return completer.complete(r, prompt, listener);
        });
    }

    private ChatResult answer(ChatRequest request, String source,
            java.util.function.BiFunction<dev.paddock.provider.Provider, ChatRequest, ChatResult> ask) {
        Providers.Target target = providers.resolve(request.model(), localProvider);
        Instant started = clock.instant();
        long begin = System.nanoTime();
        try {
            ChatResult r = ask.apply(target.provider(), request.withModel(target.model()));
            record(new RequestRecord(UUID.randomUUID().toString(), logged(target), target.provider().name(), source,
                    started, r.timeToFirstToken() == null ? null : r.timeToFirstToken().toNanos() / 1e6,
                    r.total().toNanos() / 1e6, r.promptTokens(), r.completionTokens(), RequestRecord.OK, null,
                    pricing.cost(target.provider().name(), target.model(), r.promptTokens(), r.completionTokens()),
                    r.toolCalls().size(), request.responseFormat() != null));
            return r;
        } catch (RequestCancelled e) { // the client's choice, not the provider's failure
            record(new RequestRecord(UUID.randomUUID().toString(), logged(target), target.provider().name(), source,
                    started, null, (System.nanoTime() - begin) / 1e6, null, null, RequestRecord.CANCELLED, e.getMessage(), null));
            throw e;
        } catch (RuntimeException e) { // every failure is recorded, Paddock's own and unexpected ones
            record(new RequestRecord(UUID.randomUUID().toString(), logged(target), target.provider().name(), source,
                    started, null, (System.nanoTime() - begin) / 1e6, null, null, RequestRecord.ERROR, String.valueOf(e.getMessage()), null));
            throw e;
        }
    }
}

package dev.paddock.recommend;

import dev.paddock.cost.CostCalculator;
import dev.paddock.cost.CostEstimate;
import dev.paddock.gguf.GgufFile;
import dev.paddock.gguf.GgufReader;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.FitPlan;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.provider.Providers;
import dev.paddock.registry.Registry;
import dev.paddock.registry.RegistryEntry;
import dev.paddock.serving.RequestLog;
import dev.paddock.serving.UsageStats;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoredModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Gathers what could serve a request: installed models (with fit and measured speed) and registry models. */
public final class Candidates {
    private final ModelStore store;
    private final Registry registry;
    private final Providers providers;
    private final RequestLog requests;

    private final java.util.function.Supplier<java.util.Optional<String>> currentEngine;

    public Candidates(ModelStore store, Registry registry, Providers providers, RequestLog requests) {
        this(store, registry, providers, requests, java.util.Optional::empty);
    }

    /** @param currentEngine the llama-server serving local models (empty: the embedded engine), for which models can run */
    public Candidates(ModelStore store, Registry registry, Providers providers, RequestLog requests,
            java.util.function.Supplier<java.util.Optional<String>> currentEngine) {
        this.currentEngine = currentEngine;
        this.store = store;
        this.registry = registry;
        this.providers = providers;
        this.requests = requests;
    }

    public List<Candidate> gather(CostCalculator.Usage usage) {
        List<Candidate> out = new ArrayList<>();
        SystemMemory memory = SystemMemory.detect();
        CpuTopology cpu = CpuTopology.detect();
        List<dev.paddock.serving.RequestRecord> history = requests.since(Instant.now().minusSeconds(30L * 86400), null);
        GgufReader reader = new GgufReader();
        java.util.Optional<String> engine = currentEngine.get();
        for (StoredModel m : store.list()) {
            GgufFile file = reader.read(store.blobPath(m));
            FitPlan plan = FitPlan.plan(file.facts(), null, KvCacheType.F16, memory, cpu, m.projectorBytes());
            var runs = dev.paddock.engine.EngineVerdict.of(m.name().toString(), file.facts(), engine); // no engine that reads it: no fit
            UsageStats stats = UsageStats.of(history.stream().filter(r -> r.model().equals(m.name().toString())).toList());
            RegistryEntry known = registry.find(m.name().family() + ":" + m.name().tag()).orElse(null);
            java.util.Set<String> caps = new java.util.LinkedHashSet<>(known == null ? List.of() : known.capabilities());
            if (engine.isPresent()) { // llama-server: JSON by grammar, and tools when the chat template renders them
                caps.add("json");
                if (file.facts().chatTemplate() != null && file.facts().chatTemplate().contains("tools")) {
                    caps.add("tools");
                }
                if (m.vision()) { // the projector loads with it on llama-server, not on the embedded engine
                    caps.add("vision");
                }
            }
            out.add(new Candidate(m.name().toString(), "local", true, known == null ? null : known.tier(), m.parameterCount(),
                    List.copyOf(caps), m.contextLength(), null, "local",
                    stats.meanTokensPerSecond(), stats.meanTtftMillis(), plan.fits() && runs.runnable(),
                    runs.runnable() ? plan.verdict() : runs.reason(), true));
        }
        CostCalculator calc = new CostCalculator(registry);
        java.util.Set<String> ids = new java.util.HashSet<>(registry.all().stream().map(RegistryEntry::id).toList());
        for (RegistryEntry e : registry.all()) {
            String alias = undated(e.id());
            if (!alias.equals(e.id()) && ids.contains(alias)) {
                continue; // a dated snapshot of a model listed under its alias: one row, the alias's
            }
            if (!e.cloud() || !e.chat() || e.retired(java.time.LocalDate.now(java.time.ZoneOffset.UTC))) {
                // an image or embedding model answers no prompt, nor does one its provider retired
                continue;
            }
            CostEstimate cost = calc.estimate(List.of(e.id()), usage, null).getFirst();
            String model = e.id().substring(e.id().indexOf('/') + 1);
            boolean configured = providers.byName(e.provider()).isPresent();
            UsageStats stats = UsageStats.of(history.stream().filter(r -> r.model().equals(model)).toList());
            out.add(new Candidate(e.id(), e.provider(), false, e.tier(), null, e.capabilities(), e.contextWindow(),
                    cost.perPeriod(), cost.basis(), stats.meanTokensPerSecond(), stats.meanTtftMillis(), null, "remote", configured));
        }
        return out;
    }

    /** {@code anthropic/claude-opus-4-5-20251101} → {@code anthropic/claude-opus-4-5}; {@code openai/gpt-5-2025-08-07} → {@code openai/gpt-5}. */
    static String undated(String id) {
        return id.replaceFirst("-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$", "");
    }
}

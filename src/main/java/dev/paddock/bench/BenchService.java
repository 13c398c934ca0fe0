package dev.paddock.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.error.PaddockException;
import dev.paddock.hardware.GpuPowerSampler;
import dev.paddock.hardware.GpuProcessMemory;
import dev.paddock.hardware.SystemTool;
import dev.paddock.provider.ModelLoader;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.Providers;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.RunnerDefaults;
import dev.paddock.serving.ChatService;
import dev.paddock.serving.RequestCancelled;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoredModel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The speed suite, like llama-bench: per model and prompt length, one warm-up request, then N measured
 * repetitions through the same provider path every request takes. Each repetition is saved as it completes,
 * so an interrupted run keeps what it measured (marked incomplete); a failing request is recorded with its
 * reason and the plan goes on.
 */
public final class BenchService {
    public static final String SUITE = "speed";
    public static final String SUITE_VERSION = "1";

    /** {@code engine}: an installed engine's id or "embedded" to measure instead of the default engine (local models). */
    public record Settings(int repetitions, List<Integer> promptWords, int generationTokens, Integer threads, Integer context,
            long seed, List<Integer> concurrency, Double requestRate, String engine) {
        public Settings {
            concurrency = concurrency == null ? List.of(1) : List.copyOf(concurrency);
        }

        public Settings(int repetitions, List<Integer> promptWords, int generationTokens, Integer threads, Integer context,
                long seed, List<Integer> concurrency, Double requestRate) {
            this(repetitions, promptWords, generationTokens, threads, context, seed, concurrency, requestRate, null);
        }
    }

    private final ChatService chat;
    private final Providers providers;
    private final ModelStore store;
    private final BenchRepository runs;
    private final Clock clock;
    private final String hardware;
    private final dev.paddock.hardware.EnergyMeter energy = dev.paddock.hardware.EnergyMeter.system();
    private final boolean gpuPower = nvidiaPresent();

    public BenchService(ChatService chat, Providers providers, ModelStore store, BenchRepository runs, Clock clock, String hardware) {
        this.chat = chat;
        this.providers = providers;
        this.store = store;
        this.runs = runs;
        this.clock = clock;
        this.hardware = hardware;
    }

    public BenchRun run(String model, Settings s, Consumer<String> progress) {
        return run(model, s, progress, () -> false);
    }

    /**
     * Runs the suite; when {@code cancelled} turns true the request in flight is stopped and the run is kept
     * with what it measured, marked cancelled (never a model's latest run for comparisons).
     */
    public BenchRun run(String reference, Settings s, Consumer<String> progress, java.util.function.BooleanSupplier cancelled) {
        String model = providers.canonical(reference, LocalProvider.NAME); // "x", "X" and "x:latest" are one history
        Providers.Target target = providers.resolve(model, LocalProvider.NAME);
        String digest = null;
        String quant = null;
        String engine = target.provider().kind();
        if (target.provider() instanceof LocalProvider local) {
            StoredModel m = store.get(ModelName.parse(target.model()));
            digest = m.digest().toString();
            quant = m.quantization();
            var loaded = local.load(target.model(), overrides(s));
            engine = loaded.runner().engine();
        }
        BenchRun run = new BenchRun(UUID.randomUUID().toString(), model, target.provider().name(), digest, quant, engine, hardware,
                settingsJson(s), SUITE, SUITE_VERSION, clock.instant(), null, "incomplete", null, List.of());
        runs.save(run);
        List<SpeedSample> samples = new ArrayList<>();
        try {
            return measureAll(run, model, s, progress, cancelled, target, samples);
        } catch (RequestCancelled c) {
            run = new BenchRun(run.id(), run.model(), run.provider(), run.digest(), run.quantization(), run.engine(), run.hardware(),
                    run.settings(), SUITE, SUITE_VERSION, run.startedAt(), clock.instant(), CANCELLED, "cancelled", samples);
            runs.save(run);
            progress.accept(model + ": cancelled; " + samples.size() + " repetitions are kept");
            return run;
        }
    }

    /** A cancelled run's status. */
    public static final String CANCELLED = "cancelled";

    private BenchRun measureAll(BenchRun run, String model, Settings s, Consumer<String> progress,
            java.util.function.BooleanSupplier cancelled, Providers.Target target, List<SpeedSample> samples) {
        for (int length : s.promptWords()) {
            // exactly N tokens as the engine counts them (as llama-bench -p N), where the engine can count; else N words
            java.util.Optional<String> exact = target.provider() instanceof LocalProvider local
                    ? local.promptOfTokens(target.model(), length, PromptText.ofWords(2 * length + 64), overrides(s))
                    : java.util.Optional.empty();
            String prompt = exact.orElseGet(() -> PromptText.ofWords(length));
            String unit = exact.isPresent() ? " tokens" : " words";
            measure(model, prompt, s, 0, cancelled); // warm-up, not kept
            for (int rep = 1; rep <= s.repetitions(); rep++) {
                SpeedSample sample = measure(model, prompt, s, rep, cancelled);
                samples.add(sample);
                progress.accept(model + " prompt " + length + unit + ", repetition " + rep + "/" + s.repetitions()
                        + (sample.failed() ? ": failed (" + sample.error() + ")" : String.format(java.util.Locale.ROOT,
                        ": %.1f tokens/s", sample.generationTokensPerSecond() == null ? 0 : sample.generationTokensPerSecond())));
                run = with(run, samples, "incomplete");
                runs.save(run);
            }
        }
        String loadPrompt = PromptText.ofWords(s.promptWords().getFirst());
        List<LoadResult> load = new ArrayList<>();
        for (int level : s.concurrency()) {
            if (level <= 1 && s.requestRate() == null) {
                continue; // the repetitions above are concurrency 1
            }
            int n = Math.max(2, s.repetitions() * Math.max(1, level));
            progress.accept(model + " load: " + n + " requests, concurrency " + level
                    + (s.requestRate() == null ? "" : ", " + s.requestRate() + " requests/s (Poisson)"));
            try {
                load.add(LoadTest.run(Math.max(1, level), s.requestRate(), n, s.seed(), i -> measure(model, loadPrompt, s, i + 1, cancelled)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!load.isEmpty()) {
            runs.saveLoad(run.id(), load);
        }
        if (target.provider() instanceof LocalProvider local) { // the runner's own peak: the model's true memory cost
            var runner = local.load(target.model(), overrides(s)).runner();
            runs.saveResources(run.id(), RunResources.local(runner.memory().map(m -> m.peakResidentBytes()).orElse(null),
                    runner.contextSize(), GpuProcessMemory.usedBytes(runner.pid(), SystemTool.PROCESS).orElse(null)));
        } else if (target.provider() instanceof ModelLoader loader) { // what the provider reports, else unknown
            String runId = run.id();
            try {
                loader.loadedModels().stream().filter(m -> m.name().equals(target.model()) || m.name().equals(target.model() + ":latest"))
                        .findFirst().ifPresent(m -> runs.saveResources(runId,
                                new RunResources(null, null, null, m.memoryBytes(), m.gpuMemoryBytes())));
            } catch (PaddockException e) {
                progress.accept(model + ": its memory is unknown (" + e.getMessage() + ")");
            }
        }
        boolean allFailed = samples.stream().allMatch(SpeedSample::failed);
        run = new BenchRun(run.id(), run.model(), run.provider(), run.digest(), run.quantization(), run.engine(), run.hardware(),
                run.settings(), SUITE, SUITE_VERSION, run.startedAt(), clock.instant(), allFailed ? "failed" : "complete",
                allFailed ? samples.getFirst().error() : null, samples);
        runs.save(run);
        return run;
    }

    private SpeedSample measure(String model, String prompt, Settings s, int rep, java.util.function.BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            throw new RequestCancelled("the benchmark was cancelled");
        }
        TokenListener listener = text -> {
            if (stop.getAsBoolean()) {
                throw new RequestCancelled("the benchmark was cancelled");
            }
        };
        long begin = System.nanoTime();
        dev.paddock.hardware.EnergyMeter.Reading energyBefore = energy.read();
        GpuPowerSampler gpu = gpuPower ? GpuPowerSampler.start() : null;
        try {
            // the prompt cache off: every repetition evaluates its whole prompt, as llama-bench does
            ChatResult r = chat.chat(new ChatRequest(model, List.of(ChatMessage.user(prompt)), s.generationTokens(), 0.0, s.seed(),
                    List.of(), null).withoutPromptCache(), listener, "bench");
            double e2e = r.total().toNanos() / 1e6;
            Double ttft = r.timeToFirstToken() == null ? null : r.timeToFirstToken().toNanos() / 1e6;
            int out = r.completionTokens() != null ? r.completionTokens() : r.tokenArrivals().size();
            int in = r.promptTokens() != null ? r.promptTokens() : 0;
            Double tpot = ttft == null || out < 2 ? null : (e2e - ttft) / (out - 1);
            // tg spans first to last token: the response's tail (usage, timings) is not generation
            double lastMs = r.tokenArrivals().isEmpty() ? e2e : r.tokenArrivals().getLast().toNanos() / 1e6;
            Double tg = ttft == null || out < 2 || lastMs <= ttft ? null : (out - 1) * 1000 / (lastMs - ttft);
            Double pp = r.engineTimings() == null ? null : r.engineTimings().promptTokensPerSecond();
            List<Double> itl = new ArrayList<>();
            List<Duration> a = r.tokenArrivals();
            for (int i = 1; i < a.size(); i++) {
                itl.add((a.get(i).toNanos() - a.get(i - 1).toNanos()) / 1e6);
            }
            dev.paddock.hardware.EnergyMeter.Reading energyAfter = energy.read();
            Double cpuJoules = energyAfter == null ? null : energyAfter.joulesSince(energyBefore).stream().boxed().findFirst().orElse(null);
            Double gpuJoules = gpu == null ? null : gpu.stop().stream().boxed().findFirst().orElse(null);
            Double joules = cpuJoules == null && gpuJoules == null ? null
                    : (cpuJoules == null ? 0 : cpuJoules) + (gpuJoules == null ? 0 : gpuJoules); // what can be read: RAPL, NVIDIA
            Double engineTg = r.engineTimings() == null || r.engineTimings().generatedMillis() <= 0 ? null
                    : r.engineTimings().generatedTokensPerSecond();
            return new SpeedSample(rep, in, out, pp, tg, ttft, tpot, e2e, itl, null, joules, engineTg);
        } catch (RequestCancelled e) {
            throw e;
        } catch (RuntimeException e) { // a failed request is a result: recorded with its reason, the plan goes on
            String why = e instanceof PaddockException ? e.getMessage() : e.toString();
            return new SpeedSample(rep, 0, 0, null, null, null, null, (System.nanoTime() - begin) / 1e6, List.of(), why, null);
        } finally {
            if (gpu != null) {
                gpu.close();
            }
        }
    }

    private static RunnerDefaults.Overrides overrides(Settings s) {
        return new RunnerDefaults.Overrides(s.context(), s.threads(), null, null, s.seed(), s.engine());
    }

    private static BenchRun with(BenchRun r, List<SpeedSample> samples, String status) {
        return new BenchRun(r.id(), r.model(), r.provider(), r.digest(), r.quantization(), r.engine(), r.hardware(), r.settings(),
                r.suite(), r.suiteVersion(), r.startedAt(), null, status, null, samples);
    }

    private static String settingsJson(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repetitions", s.repetitions());
        m.put("promptWords", s.promptWords());
        m.put("generationTokens", s.generationTokens());
        m.put("threads", s.threads());
        m.put("context", s.context());
        m.put("seed", s.seed());
        m.put("temperature", 0.0);
        m.put("concurrency", s.concurrency());
        m.put("requestRate", s.requestRate());
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean nvidiaPresent() {
        try {
            return SystemTool.PROCESS.run(List.of("nvidia-smi", "-L")).isPresent();
        } catch (SystemTool.Failed e) {
            return false;
        }
    }

    /** Whether energy can be measured here (RAPL counters readable, or NVIDIA power draw). */
    public boolean energyAvailable() {
        return energy.read() != null || gpuPower;
    }

    public List<BenchRun> history(String model, int limit) {
        return runs.history(model == null ? null : providers.canonical(model, LocalProvider.NAME), limit);
    }
}

package dev.paddock.app;

import dev.paddock.bench.BenchService;
import dev.paddock.engine.EngineService;
import dev.paddock.engine.EngineStore;
import dev.paddock.runner.LoadedRunner;
import java.net.URI;
import dev.paddock.bench.Grading;
import dev.paddock.bench.QualityBench;
import dev.paddock.catalog.Catalog;
import dev.paddock.db.JdbcBenchRepository;
import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.config.PaddockConfig;
import dev.paddock.db.JdbcDownloadRepository;
import dev.paddock.download.PullService;
import dev.paddock.download.PullSettings;
import dev.paddock.recommend.Candidates;
import dev.paddock.recommend.ModelSelector;
import dev.paddock.recommend.Recommender;
import dev.paddock.registry.Registry;
import dev.paddock.runner.KeepAlive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import dev.paddock.config.Setting;
import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.db.JdbcRequestLog;
import dev.paddock.gguf.GgufReader;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.RunnerDefaults;
import dev.paddock.runner.RunnerSupervisor;
import dev.paddock.serving.ActiveModel;
import dev.paddock.serving.ChatService;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The composition root: builds every service from the configuration, through constructors, once and
 * only when first asked for (so {@code paddock config} never opens the database).
 */
public final class Paddock implements AutoCloseable {
    private final PaddockConfig config;
    private final Consumer<String> warnings;
    private final Clock clock;
    private final boolean attachedRunners;
    private final java.util.Map<String, String> env;
    private Database database;
    private ModelStore store;
    private RunnerSupervisor supervisor;
    private LocalProvider local;
    private Providers providers;
    private JdbcRequestLog requestLog;
    private PullService pulls;
    private Registry registry;
    private EngineService engines;

    /**
     * @param env the process environment (API keys, HF_TOKEN), given so that tests can choose it
     * @param attachedRunners whether runners stop with this process (a server) or outlive it (a CLI command)
     */
    public Paddock(PaddockConfig config, java.util.Map<String, String> env, Consumer<String> warnings, Clock clock,
            boolean attachedRunners) {
        this.config = config;
        this.env = java.util.Map.copyOf(env);
        this.warnings = warnings;
        this.clock = clock;
        this.attachedRunners = attachedRunners;
        config.warnings().forEach(warnings);
    }

    public PaddockConfig config() {
        return config;
    }

    /** The process environment this instance was given (HF_TOKEN, HF_ENDPOINT, API keys). */
    public java.util.Map<String, String> env() {
        return env;
    }

    public synchronized Database database() {
        if (database == null) {
            dev.paddock.db.SqliteNative.useCopyIn(config.home().resolve("native"));
            database = Database.open(config.get(Setting.DATABASE_URL), config.get(Setting.DATABASE_USER),
                    config.get(Setting.DATABASE_PASSWORD), attachedRunners); // a server pools; a command opens what it needs
        }
        return database;
    }

    public synchronized ModelStore store() {
        if (store == null) {
            store = new ModelStore(new StoreLayout(config.home()), new JdbcModelRepository(database()), new GgufReader(),
                    clock, warnings);
            store.collectLeftovers();
        }
        return store;
    }

    public synchronized RunnerSupervisor supervisor() {
        if (supervisor == null) {
            EngineStore engineStore = engines().store();
            supervisor = new RunnerSupervisor(config.home(), () -> RunnerConfig.defaults(config, engineStore), new GgufReader(), clock,
                    warnings, attachedRunners).withEngines(id -> engineStore.find(id).filter(dev.paddock.engine.Engine::usable)
                            .map(e -> RunnerConfig.binary(engineStore, e)));
        }
        return supervisor;
    }

    /** The installed llama.cpp engines; the runners that use one keep it from being removed. */
    public synchronized EngineService engines() {
        if (engines == null) {
            engines = new EngineService(new EngineStore(config.home()), Path.of(config.get(Setting.ENGINE_CACHE_DIR)),
                    URI.create(withSlash(config.get(Setting.ENGINE_NPM_REGISTRY))), env, clock,
                    id -> supervisor().loaded().stream().filter(r -> id.equals(r.engineId())).map(LoadedRunner::model).toList());
        }
        return engines;
    }

    /** The label of the llama-server that serves local models (runner.llama_server or the default engine); empty: the embedded one. */
    public java.util.Optional<String> currentEngine() {
        return java.util.Optional.ofNullable(RunnerConfig.engine(config, new EngineStore(config.home()))).map(e -> e.label());
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    public synchronized LocalProvider local() {
        if (local == null) {
            local = new LocalProvider(this::store, supervisor());
        }
        return local;
    }

    public synchronized Providers providers() {
        if (providers == null) {
            providers = ProviderFleet.build(config, local(), env);
        }
        return providers;
    }

    public synchronized JdbcRequestLog requestLog() {
        if (requestLog == null) {
            requestLog = new JdbcRequestLog(database(), Duration.ofDays(Math.max(1, config.integer(Setting.SERVING_LOG_DAYS))));
        }
        return requestLog;
    }

    public ChatService chat() {
        ModelSelector selector = new ModelSelector(candidates(), new Recommender.Constraints(null, null, null, false));
        Registry prices = registry();
        ChatService.Pricing pricing = (provider, model, prompt, completion) -> provider.equals(LocalProvider.NAME) ? null
                : prices.find(provider + "/" + model).or(() -> prices.find(model)).map(e -> e.price())
                        .map(p -> p.cost(prompt == null ? 0 : prompt, completion == null ? 0 : completion, 0)).orElse(null);
        return new ChatService(providers(), requestLog(), clock, LocalProvider.NAME).withPricing(pricing).withAutoChoice(new ChatService.AutoChoice() {
            @Override
            public List<String> choose(String auto, java.util.Set<String> needs) {
                return selector.choose(auto, needs);
            }

            @Override
            public boolean isAuto(String model) {
                return ModelSelector.isAuto(model);
            }
        });
    }

    public BenchService bench() {
        return new BenchService(chat(), providers(), store(), benchRuns(), clock, hardwareSummary());
    }

    /** What benchmark rows record as the hardware that produced them. */
    private static String hardwareSummary() {
        var cpu = CpuTopology.detect();
        return cpu.model() + ", " + cpu.physicalCores() + " cores, " + (SystemMemory.detect().totalBytes() >> 30) + " GiB RAM";
    }

    public QualityBench quality() {
        return new QualityBench(chat(), benchRuns(), clock, hardwareSummary(), this::canonicalModel);
    }

    /**
     * The spelling runs and comparisons are filed under ({@code X} and {@code x:latest} are one model); a
     * reference to a provider that is not configured stays as typed, so its old runs can still be shown.
     */
    public String canonicalModel(String reference) {
        try {
            return providers().canonical(reference, LocalProvider.NAME);
        } catch (dev.paddock.error.PaddockException e) {
            if (e.code() == dev.paddock.error.ErrorCode.NOT_FOUND) {
                return reference.strip();
            }
            throw e;
        }
    }

    /**
     * Refuses a name that is neither an installed model nor another provider's ({@code ollama/x}), suggesting the closest:
     * where nothing is found for a name (no runs, say), a typo is an error rather than an empty answer. {@code @ENGINE} is
     * ignored.
     */
    public void requireKnownModel(String reference) {
        String model = reference.lastIndexOf('@') > 0 ? reference.substring(0, reference.lastIndexOf('@')) : reference;
        Providers.Target target = providers().resolve(model, LocalProvider.NAME);
        if (target.provider().name().equals(LocalProvider.NAME)) {
            store().get(dev.paddock.model.ModelName.parse(target.model()));
        }
    }

    /** A model's benchmark runs, newest first; none for a name {@link #requireKnownModel} refuses is that error (a 404). */
    public List<dev.paddock.bench.BenchRun> history(String model, int limit) {
        List<dev.paddock.bench.BenchRun> runs = bench().history(model, limit);
        if (runs.isEmpty()) {
            requireKnownModel(model); // a typo is an error; a model not benchmarked yet has no runs
        }
        return runs;
    }

    public dev.paddock.compare.Comparisons comparisons() {
        return new dev.paddock.compare.Comparisons(benchRuns(), registry(), this::canonicalModel);
    }

    /** The graders, with the judge model of bench.judge_model when one is set. */
    public Grading grading() {
        String judge = config.get(Setting.BENCH_JUDGE_MODEL);
        if (judge.isBlank()) {
            return new Grading(null);
        }
        ChatService c = chat();
        return new Grading(prompt -> c.chat(new dev.paddock.provider.ChatRequest(judge,
                List.of(dev.paddock.provider.ChatMessage.user(prompt)), 8, 0.0, 1L, List.of(), null),
                dev.paddock.provider.TokenListener.NONE, "judge").text());
    }

    public dev.paddock.bench.BenchRepository benchRuns() {
        return new JdbcBenchRepository(database());
    }

    public Candidates candidates() {
        return new Candidates(store(), registry(), providers(), requestLog(), this::currentEngine);
    }

    /** Every model across providers, after linking new files of the watched folders (store.watch_dirs). */
    public dev.paddock.inventory.ModelInventory inventory() {
        List<Path> watched = config.list(Setting.STORE_WATCH_DIRS).stream()
                .map(d -> d.equals("~") || d.startsWith("~/") ? Path.of(env.getOrDefault("HOME", System.getProperty("user.home")) + d.substring(1))
                        : Path.of(d))
                .toList();
        if (!watched.isEmpty()) {
            new dev.paddock.store.WatchedFolders(store(), watched, warnings).sync();
        }
        return new dev.paddock.inventory.ModelInventory(this::store, this::providers, this::benchRuns, this::currentEngine);
    }

    public dev.paddock.inventory.ModelDeletion deletion() {
        return new dev.paddock.inventory.ModelDeletion(store(), supervisor(), activeModel());
    }

    public dev.paddock.serving.ModelSwitcher modelSwitcher() {
        return new dev.paddock.serving.ModelSwitcher(providers(), activeModel());
    }

    public dev.paddock.serving.ServingStatus status() {
        return new dev.paddock.serving.ServingStatus(providers(), supervisor(), activeModel(), requestLog(), clock);
    }

    public dev.paddock.serving.Analytics analytics() {
        return new dev.paddock.serving.Analytics(requestLog());
    }

    /** Prices from the registry; local models' energy from their latest benchmark at cost.kwh_price. */
    public dev.paddock.cost.CostCalculator costCalculator() {
        String price = config.get(Setting.COST_KWH_PRICE).strip();
        Double kwh = null;
        if (!price.isEmpty()) {
            try {
                kwh = Double.parseDouble(price);
            } catch (NumberFormatException e) {
                kwh = -1.0;
            }
            if (kwh < 0 || kwh.isNaN()) {
                throw dev.paddock.error.PaddockException.invalidInput("cost.kwh_price must be a price in USD per kWh such as 0.30, not \""
                        + price + "\"");
            }
        }
        var runs = benchRuns();
        return new dev.paddock.cost.CostCalculator(registry(), model -> runs.latestSpeedRun(model)
                .map(r -> dev.paddock.bench.SpeedSummary.of(model, r.samples()).whPerThousandTokens()).orElse(null), kwh);
    }

    public Clock clock() {
        return clock;
    }

    public ActiveModel activeModel() {
        return new ActiveModel(requestLog());
    }

    public synchronized PullService pulls() {
        if (pulls == null) {
            List<Path> catalogs = paths(Setting.CATALOG_FILES);
            long stall = KeepAlive.parseSeconds(config.get(Setting.DOWNLOAD_STALL_TIMEOUT));
            PullSettings s = new PullSettings(Math.max(1, config.integer(Setting.DOWNLOAD_CONNECTIONS)),
                    Math.max(1, config.integer(Setting.DOWNLOAD_PIECE_MB)) * (1L << 20),
                    Math.max(0, config.integer(Setting.DOWNLOAD_RETRIES)), Duration.ofSeconds(Math.max(1, stall)),
                    Math.max(1, config.integer(Setting.DOWNLOAD_MAX_JOBS)),
                    Math.max(1, config.integer(Setting.DOWNLOAD_MAX_UNKNOWN_SIZE_GB)) * (1L << 30));
            pulls = new PullService(store(), new JdbcDownloadRepository(database()), Catalog.load(catalogs), s, clock, env);
        }
        return pulls;
    }

    public synchronized Registry registry() {
        if (registry == null) {
            registry = Registry.load(dev.paddock.registry.PriceFile.current(config.home(), warnings), paths(Setting.REGISTRY_FILES));
        }
        return registry;
    }

    /** Fetches a newer price file (LiteLLM's format) into the home; the registry is read again on next use. */
    public dev.paddock.registry.RegistryUpdate.Result updateRegistry(String source) {
        var result = new dev.paddock.registry.RegistryUpdate(config.home(), clock).run(source == null || source.isBlank()
                ? config.get(Setting.REGISTRY_URL) : source, registry());
        synchronized (this) {
            registry = null;
        }
        return result;
    }

    private List<Path> paths(Setting s) {
        return config.list(s).stream().map(Path::of).toList();
    }

    public RunnerDefaults runnerDefaults() {
        return RunnerConfig.defaults(config, engines().store());
    }

    /** Closes what was built: HTTP clients, the connection pool. Runners are not stopped (a server does that). */
    @Override
    public synchronized void close() {
        if (providers != null) {
            providers.close();
        } else if (local != null) {
            local.close();
        }
        if (pulls != null) {
            pulls.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        if (engines != null) {
            engines.close();
        }
        engines = null;
        if (database != null) {
            database.close();
        }
        providers = null;
        local = null;
        pulls = null;
        supervisor = null;
        store = null;
        requestLog = null;
        database = null;
    }
}

package dev.paddock.config;

import java.util.List;
import java.util.Locale;

/**
 * One setting, declared once: its key in {@code config.toml} ({@code section.name}), its environment
 * variable, its default and what it does. {@code paddock config} prints exactly this list.
 */
public record Setting(String key, String defaultValue, String description, boolean secret) {

    public static final Setting HOME = new Setting("home", "~/.paddock",
            "Folder holding models, downloads, the database and config.toml (flag --home or PADDOCK_HOME only)", false);
    public static final Setting DATABASE_URL = new Setting("database.url", "jdbc:sqlite:<home>/paddock.db",
            "JDBC URL of the database: SQLite by default, or jdbc:postgresql://host/db", false);
    public static final Setting DATABASE_USER = new Setting("database.user", "",
            "Database user (PostgreSQL)", false);
    public static final Setting DATABASE_PASSWORD = new Setting("database.password", "",
            "Database password (PostgreSQL); shown redacted", true);
    public static final Setting LOG_LEVEL = new Setting("log.level", "warn",
            "Diagnostics on stderr: error, warn, info, debug, for every library (--verbose: Paddock's own at debug, the libraries' as set here)", false);

    public static final Setting RUNNER_CONTEXT = new Setting("runner.context", "4096",
            "Context length a local model is loaded with (capped at the model's own)", false);
    public static final Setting RUNNER_THREADS = new Setting("runner.threads", "0",
            "CPU threads per local model; 0 means one per available core", false);
    public static final Setting RUNNER_BATCH = new Setting("runner.batch", "512",
            "Prompt-processing batch size of local models", false);
    public static final Setting RUNNER_GPU_LAYERS = new Setting("runner.gpu_layers", "auto",
            "Layers a GPU build of the engine offloads: auto (as many as the GPU holds), all, or a number (0: CPU only)", false);
    public static final Setting RUNNER_KEEP_ALIVE = new Setting("runner.keep_alive", "5m",
            "How long an idle local model stays loaded: seconds, 30s, 5m, 1h; -1 for ever", false);
    public static final Setting RUNNER_MAX_LOADED = new Setting("runner.max_loaded", "3",
            "Most local models loaded at once; the oldest is unloaded to make room", false);
    public static final Setting RUNNER_START_TIMEOUT = new Setting("runner.start_timeout", "120s",
            "How long a local model may take to load before Paddock gives up", false);
    public static final Setting RUNNER_LLAMA_SERVER = new Setting("runner.llama_server", "",
            "Path to a llama-server binary that serves local models instead of the default engine (paddock engine use)",
            false);
    public static final Setting RUNNER_PARALLEL = new Setting("runner.parallel", "4",
            "Requests one local model serves at once (llama-server slots, continuous batching; they share its context)", false);
    public static final Setting RUNNER_KV_TYPE = new Setting("runner.kv_type", "f16",
            "KV cache type of local models on the engine: f16, q8_0 or q4_0 (quantised ones halve or quarter its memory)", false);
    public static final Setting RUNNER_FLASH_ATTN = new Setting("runner.flash_attn", "auto",
            "Flash attention on the engine: auto, on or off (a quantised KV cache needs it on or auto)", false);
    public static final Setting RUNNER_ENGINE_ARGS = new Setting("runner.engine_args", "",
            "Extra llama-server arguments for local models, space-separated (e.g. --mlock, or -v for a verbose runner log)", false);
    public static final Setting ENGINE_CACHE_DIR = new Setting("engine.cache_dir", "~/.cache/paddock",
            "Where engine builds keep downloads and build folders, so a rebuild compiles only what changed", false);
    public static final Setting ENGINE_NPM_REGISTRY = new Setting("engine.npm_registry", "https://registry.npmjs.org/",
            "The npm registry the pinned llama.cpp release is fetched from (checked against its integrity hash)", false);
    public static final Setting DOWNLOAD_CONNECTIONS = new Setting("download.connections", "4",
            "Parallel connections per download (for servers that serve ranges)", false);
    public static final Setting DOWNLOAD_PIECE_MB = new Setting("download.piece_mb", "8",
            "Size of the pieces a download is split into, in MiB", false);
    public static final Setting DOWNLOAD_RETRIES = new Setting("download.retries", "8",
            "Retries of a piece after a transient fault (reset, timeout, 5xx, stall), with backoff", false);
    public static final Setting DOWNLOAD_STALL_TIMEOUT = new Setting("download.stall_timeout", "30s",
            "A connection with no bytes for this long is dropped and retried", false);
    public static final Setting DOWNLOAD_MAX_JOBS = new Setting("download.max_jobs", "2",
            "Downloads running at once in one Paddock process; the rest wait, queued", false);
    public static final Setting DOWNLOAD_MAX_UNKNOWN_SIZE_GB = new Setting("download.max_unknown_size_gb", "100",
            "Largest download whose server does not say its size, in GiB (it also stops before the disk fills)", false);
    public static final Setting STORE_WATCH_DIRS = new Setting("store.watch_dirs", "",
            "Folders whose GGUF files are local models used where they lie (comma-separated; e.g. LM Studio's models folder)", false);
    public static final Setting CATALOG_FILES = new Setting("catalog.files", "",
            "Extra catalog files (JSON, comma-separated paths), after the bundled one", false);
    public static final Setting REGISTRY_FILES = new Setting("registry.files", "",
            "Extra registry files (JSON, comma-separated): prices and facts that replace the bundled ones", false);
    public static final Setting REGISTRY_URL = new Setting("registry.url",
            "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
            "Where \"paddock registry update\" fetches prices from (LiteLLM's price file, or a mirror in its format)", false);
    public static final Setting BENCH_JUDGE_MODEL = new Setting("bench.judge_model", "",
            "Model that grades open answers of quality suites (judge graders); empty: those stay ungraded", false);
    public static final Setting OLLAMA_URL = new Setting("ollama.url", "http://127.0.0.1:11434",
            "The Ollama server listed as provider \"ollama\" (quietly skipped when it is not running)", false);

    public static final Setting SERVING_LOG_DAYS = new Setting("serving.log_days", "30",
            "Days the request log (status, analytics) keeps each request; older ones are deleted", false);
    public static final Setting COST_KWH_PRICE = new Setting("cost.kwh_price", "",
            "Electricity price per kWh (USD): local models' energy cost from measured Wh per 1,000 tokens; empty: unknown", false);
    public static final Setting SERVER_HOST = new Setting("server.host", "127.0.0.1",
            "Address paddock serve listens on; any other than loopback needs server.token", false);
    public static final Setting SERVER_PORT = new Setting("server.port", "7700", "Port of paddock serve", false);
    public static final Setting SERVER_OLLAMA_PORT = new Setting("server.ollama_port", "",
            "Port of an Ollama-compatible API beside paddock serve's own (e.g. 11434, for Open WebUI and other Ollama clients); empty: off",
            false);
    public static final Setting SERVER_TOKEN = new Setting("server.token", "",
            "Access token of paddock serve (also PADDOCK_TOKEN): every request must send Authorization: Bearer TOKEN", true);
    public static final Setting SERVER_MAX_BODY_KB = new Setting("server.max_body_kb", "8192",
            "Largest request body paddock serve accepts, in KiB (larger: 413); the default fits an image of about 6 MB in base64", false);
    public static final Setting SERVER_CORS_ORIGINS = new Setting("server.cors_origins", "",
            "Origins allowed to call the API from a browser (comma-separated); empty: CORS off", false);
    public static final Setting SERVER_ALLOWED_HOSTS = new Setting("server.allowed_hosts", "",
            "Host names a loopback server answers besides localhost and 127.0.0.1 (comma-separated), e.g. a name in /etc/hosts", false);

    public static final List<Setting> ALL = List.of(HOME, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, LOG_LEVEL,
            RUNNER_CONTEXT, RUNNER_THREADS, RUNNER_BATCH, RUNNER_GPU_LAYERS, RUNNER_KEEP_ALIVE, RUNNER_MAX_LOADED,
            RUNNER_START_TIMEOUT, RUNNER_LLAMA_SERVER, RUNNER_PARALLEL, RUNNER_KV_TYPE, RUNNER_FLASH_ATTN, RUNNER_ENGINE_ARGS, ENGINE_CACHE_DIR, ENGINE_NPM_REGISTRY, DOWNLOAD_CONNECTIONS, DOWNLOAD_PIECE_MB, DOWNLOAD_RETRIES,
            DOWNLOAD_STALL_TIMEOUT, DOWNLOAD_MAX_JOBS, DOWNLOAD_MAX_UNKNOWN_SIZE_GB, STORE_WATCH_DIRS, CATALOG_FILES, REGISTRY_FILES, REGISTRY_URL, BENCH_JUDGE_MODEL, OLLAMA_URL, SERVING_LOG_DAYS, COST_KWH_PRICE,
            SERVER_HOST, SERVER_PORT, SERVER_OLLAMA_PORT, SERVER_TOKEN, SERVER_MAX_BODY_KB, SERVER_CORS_ORIGINS,
            SERVER_ALLOWED_HOSTS);

    /** {@code database.url} → {@code PADDOCK_DATABASE_URL}. */
    public String environmentVariable() {
        return "PADDOCK_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public static Setting byKey(String key) {
        return ALL.stream().filter(s -> s.key.equals(key)).findFirst().orElse(null);
    }
}

package dev.paddock.serving;

import dev.paddock.model.ModelName;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.EngineMetrics;
import dev.paddock.runner.LoadedRunner;
import dev.paddock.runner.ProcessCpu;
import dev.paddock.runner.ProcessMemory;
import dev.paddock.runner.RunnerSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The active model's state and its request figures over a window: what `status` and the dashboard show. */
public final class ServingStatus {
    private final Providers providers;
    private final RunnerSupervisor supervisor;
    private final ActiveModel active;
    private final RequestLog log;
    private final Clock clock;

    public ServingStatus(Providers providers, RunnerSupervisor supervisor, ActiveModel active, RequestLog log, Clock clock) {
        this.providers = providers;
        this.supervisor = supervisor;
        this.active = active;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param state loaded, not loaded, or remote; figures the runner cannot give are null
     */
    public record Report(String activeModel, String provider, String state, Long uptimeSeconds, Long memoryBytes,
            Long peakMemoryBytes, Double cpuPercent, Instant since, int requests, double errorRate, Double meanTokensPerSecond,
            Double meanTtftMillis, Double meanDurationMillis, String engine, EngineMetrics engineMetrics) {}

    public Report report(Instant since) {
        Optional<String> model = active.get();
        if (model.isEmpty()) {
            return new Report(null, null, null, null, null, null, null, since, 0, 0, null, null, null, null, null);
        }
        Providers.Target t = providers.resolve(model.get(), LocalProvider.NAME);
        boolean local = t.provider() instanceof LocalProvider;
        Optional<LoadedRunner> runner = local ? supervisor.find(ModelName.parse(t.model())) : Optional.empty();
        Long uptime = null;
        Long rss = null;
        Long peak = null;
        Double cpu = null;
        String engine = null;
        EngineMetrics metrics = null;
        if (runner.isPresent()) {
            LoadedRunner r = runner.get();
            Duration up = Duration.between(r.started(), clock.instant());
            uptime = up.getSeconds();
            Optional<ProcessMemory> mem = r.memory();
            rss = mem.map(ProcessMemory::residentBytes).orElse(null);
            peak = mem.map(ProcessMemory::peakResidentBytes).orElse(null);
            var c = ProcessCpu.averagePercent(r.pid(), up);
            cpu = c.isPresent() ? c.getAsDouble() : null;
            engine = r.engine();
            metrics = supervisor.engineMetrics(r).orElse(null);
        }
        UsageStats u = UsageStats.of(log.since(since, local ? ModelName.parse(t.model()).toString() : t.model()));
        return new Report(model.get(), t.provider().name(), local ? (runner.isPresent() ? "loaded" : "not loaded") : "remote", uptime,
                rss, peak, cpu, since, u.requests(), u.errorRate(), u.meanTokensPerSecond(), u.meanTtftMillis(), u.meanDurationMillis(),
                engine, metrics);
    }
}

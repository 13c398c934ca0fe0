package dev.paddock.bench;

import java.util.List;

/** Where benchmark runs are kept (the database), for history and comparison. */
public interface BenchRepository {
    void save(BenchRun run);

    /** Adds (or replaces) graded answers of a quality run. */
    void saveAnswers(String runId, List<QualityAnswer> answers);

    List<QualityAnswer> answers(String runId);

    void saveLoad(String runId, List<LoadResult> results);

    void saveResources(String runId, RunResources resources);

    RunResources resources(String runId);

    List<LoadResult> load(String runId);

    java.util.Optional<BenchRun> find(String id);

    /** The models that have a finished speed run: one query where a listing would ask model by model. */
    java.util.Set<String> modelsWithSpeedRuns();

    /** The model's newest speed run that measured at least one request. */
    java.util.Optional<BenchRun> latestSpeedRun(String model);

    /** The latest runs of a model (null: of every model), newest first. */
    List<BenchRun> history(String model, int limit);
}

package dev.paddock.engine;

/** What an install is doing: a stage ("downloading", "building", "testing") with its progress, for a bar or an SSE stream. */
@FunctionalInterface
public interface InstallProgress {
    InstallProgress NONE = (stage, done, total) -> {};

    /** {@code total} is 0 when unknown; for the build, done and total are cmake's percent of 100. */
    void update(String stage, long done, long total);
}

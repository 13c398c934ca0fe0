package dev.paddock.engine;

import java.util.List;

/**
 * An installed llama.cpp engine, as {@code engines/<id>/engine.json} records it and as the CLI and the API
 * show it: what it is (version, commit, backend, how it was built), where it came from, and whether its
 * smoke test passed — an engine whose test failed never becomes the default.
 */
public record Engine(String id, String version, String commit, String backend, List<String> buildFlags, long sizeBytes,
        String installedAt, String source, SmokeResult smokeTest) {

    public Engine {
        buildFlags = List.copyOf(buildFlags);
    }

    /** The outcome of loading a generated model and generating a few tokens with the engine. */
    public record SmokeResult(boolean passed, String detail, String testedAt, Double tokensPerSecond) {}

    public boolean usable() {
        return smokeTest != null && smokeTest.passed();
    }

    Engine withSmokeTest(SmokeResult result) {
        return new Engine(id, version, commit, backend, buildFlags, sizeBytes, installedAt, source, result);
    }
}

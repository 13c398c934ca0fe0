package dev.paddock.bench;

/** One task of a quality suite: what to ask, its category, how to grade the answer, and the file line it came from. */
public record QualityTask(String id, String category, String prompt, Grader grader, int line) {}

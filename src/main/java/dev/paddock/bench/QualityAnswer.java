package dev.paddock.bench;

/** A model's answer to one task and its grade ({@code passed} null: not gradable here, with why). */
public record QualityAnswer(String taskId, String category, Boolean passed, String detail, String answer) {}

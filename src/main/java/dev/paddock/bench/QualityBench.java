package dev.paddock.bench;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.TokenListener;
import dev.paddock.serving.ChatService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** The quality suite: every task asked at temperature 0, graded, stored with its answer; scores per category. */
public final class QualityBench {
    /** Passed over graded, per category and overall (ungraded answers count in neither). */
    public record Scores(Map<String, double[]> byCategory, int graded, int passed, int ungraded) {
        public double overall() {
            return graded == 0 ? Double.NaN : (double) passed / graded;
        }
    }

    private final ChatService chat;
    private final BenchRepository runs;
    private final Clock clock;
    private final String hardware;

    private final java.util.function.UnaryOperator<String> canonical;

    public QualityBench(ChatService chat, BenchRepository runs, Clock clock, String hardware,
            java.util.function.UnaryOperator<String> canonical) {
        this.canonical = canonical;
        this.chat = chat;
        this.runs = runs;
        this.clock = clock;
        this.hardware = hardware;
    }

    public BenchRun run(String model, QualitySuite suite, Grading grading, long seed, Consumer<String> progress) {
        return run(model, suite, grading, seed, progress, () -> false);
    }

    /** Runs the suite; when {@code cancelled} turns true the run stops and keeps its answers so far, marked cancelled. */
    public BenchRun run(String model, QualitySuite suite, Grading grading, long seed, Consumer<String> progress,
            java.util.function.BooleanSupplier cancelled) {
        model = canonical.apply(model);
        dev.paddock.provider.TokenListener stop = text -> {
            if (cancelled.getAsBoolean()) {
                throw new dev.paddock.serving.RequestCancelled("the benchmark was cancelled");
            }
        };
        BenchRun run = new BenchRun(UUID.randomUUID().toString(), model, "", null, null, null, hardware,
                "{\"temperature\":0.0,\"seed\":" + seed + "}", "quality:" + suite.name(), suite.version(), clock.instant(), null,
                "incomplete", null, List.of());
        runs.save(run);
        List<QualityAnswer> answers = new ArrayList<>();
        for (QualityTask t : suite.tasks()) {
            QualityAnswer a;
            try {
                if (cancelled.getAsBoolean()) {
                    throw new dev.paddock.serving.RequestCancelled("the benchmark was cancelled");
                }
                String text = chat.chat(new ChatRequest(model, List.of(ChatMessage.user(t.prompt())), 512, 0.0, seed, List.of(), null),
                        stop, "bench").text();
                Grading.Grade g = grading.grade(t.grader(), t.prompt(), text);
                a = new QualityAnswer(t.id(), t.category(), g.passed(), g.detail(), text);
            } catch (PaddockException e) {
                a = new QualityAnswer(t.id(), t.category(), false, "request failed: " + e.getMessage(), null);
            } catch (dev.paddock.serving.RequestCancelled c) {
                run = new BenchRun(run.id(), run.model(), run.provider(), null, null, null, hardware, run.settings(), run.suite(),
                        run.suiteVersion(), run.startedAt(), clock.instant(), BenchService.CANCELLED, "cancelled", List.of());
                runs.save(run);
                progress.accept(model + ": cancelled; " + answers.size() + " answers are kept");
                return run;
            }
            answers.add(a);
            runs.saveAnswers(run.id(), List.of(a));
            progress.accept(model + " " + t.id() + ": " + (a.passed() == null ? "ungraded" : a.passed() ? "pass" : "fail"));
        }
        run = new BenchRun(run.id(), run.model(), run.provider(), null, null, null, hardware, run.settings(), run.suite(),
                run.suiteVersion(), run.startedAt(), clock.instant(), "complete", null, List.of());
        runs.save(run);
        return run;
    }

    public static Scores score(List<QualityAnswer> answers) {
        Map<String, double[]> by = new LinkedHashMap<>();
        int graded = 0;
        int passed = 0;
        int ungraded = 0;
        for (QualityAnswer a : answers) {
            if (a.passed() == null) {
                ungraded++;
                continue;
            }
            double[] c = by.computeIfAbsent(a.category(), k -> new double[2]);
            c[1]++;
            graded++;
            if (a.passed()) {
                c[0]++;
                passed++;
            }
        }
        return new Scores(by, graded, passed, ungraded);
    }
}

package dev.paddock.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecommenderTest {
    private static Candidate cloud(String id, String tier, Double cost, Double tps) {
        return new Candidate(id, id.substring(0, id.indexOf('/')), false, tier, null, List.of("json"), 128_000L, cost,
                "list price", tps, null, null, "remote", true);
    }

    private static Candidate local(String name, long params, boolean fits, Double tps) {
        return new Candidate(name, "local", true, null, params, List.of(), 8192L, null, "local", tps, tps == null ? null : 300.0,
                fits, fits ? "fits on the CPU" : "does not fit in memory", true);
    }

    private static final Recommender.Constraints NONE = new Recommender.Constraints(null, null, null, false);

    @Test
    void theBudgetIsRespectedAndUnknownPricesCannotPassABudget() {
        var r = Recommender.rank(Task.CHAT, List.of(cloud("a/pricey", "frontier", 90.0, null), cloud("b/cheap", "light", 2.0, null),
                cloud("c/unknown", "strong", null, null)), new Recommender.Constraints(50.0, null, null, false));

        assertThat(r.ranked()).extracting(Recommendation::model).containsExactly("b/cheap");
        assertThat(r.excluded()).anySatisfy(x -> assertThat(x).contains("a/pricey", "over the $50.00 budget"))
                .anySatisfy(x -> assertThat(x).contains("c/unknown", "price unknown"));
    }

    @Test
    void modelsThatDoNotFitAreExcludedWithTheReason() {
        var r = Recommender.rank(Task.CHAT, List.of(local("big:70b", 70_000_000_000L, false, null), local("small:3b", 3_000_000_000L, true, null)), NONE);

        assertThat(r.ranked()).extracting(Recommendation::model).containsExactly("small:3b");
        assertThat(r.excluded()).singleElement().asString().contains("big:70b", "does not fit");
    }

    @Test
    void measuredSpeedCountsAndSaysSoAndMeasuredLimitsExclude() {
        Recommendation fast = Recommender.score(Task.CHAT, local("m:7b", 7_000_000_000L, true, 60.0));
        Recommendation slow = Recommender.score(Task.CHAT, local("m:7b", 7_000_000_000L, true, 5.0));
        Recommendation unmeasured = Recommender.score(Task.CHAT, local("m:7b", 7_000_000_000L, true, null));

        assertThat(fast.score()).isGreaterThan(unmeasured.score()).isGreaterThan(slow.score());
        assertThat(fast.basis()).contains("measured");
        assertThat(unmeasured.basis()).isEqualTo("registry data only");
        assertThat(unmeasured.tradeOffs()).contains("speed on this machine not measured yet");
        var limited = Recommender.rank(Task.CHAT, List.of(local("slow:7b", 7_000_000_000L, true, 5.0)),
                new Recommender.Constraints(null, null, 20.0, false));
        assertThat(limited.excluded()).singleElement().asString().contains("below 20.0");
    }

    @Test
    void theOrderIsDeterministicAndEveryRowHasReasons() {
        List<Candidate> all = List.of(cloud("x/one", "strong", 1.0, null), cloud("a/two", "strong", 1.0, null),
                local("l:8b", 8_000_000_000L, true, null));

        var first = Recommender.rank(Task.EXTRACTION, all, NONE).ranked();
        var second = Recommender.rank(Task.EXTRACTION, List.of(all.get(2), all.get(1), all.get(0)), NONE).ranked();

        assertThat(first).isEqualTo(second);
        assertThat(first).extracting(Recommendation::model).containsSubsequence("a/two", "x/one");
        assertThat(first).allSatisfy(rec -> {
            assertThat(rec.reasons()).isNotEmpty();
            assertThat(rec.score()).isBetween(0, 100);
        });
        assertThat(Recommender.rank(Task.CHAT, all, new Recommender.Constraints(null, null, null, true)).ranked())
                .extracting(Recommendation::model).containsExactly("l:8b");
    }

    @Test
    void whatCanAnswerNowComesFirstAndACloudModelWithoutAKeySaysItNeedsOne() {
        Candidate noKey = new Candidate("openai/gpt-9", "openai", false, "frontier", null, List.of(), 1_000_000L, 5.0, "list price",
                null, null, null, "remote", false);
        var r = Recommender.rank(Task.CHAT, List.of(noKey, local("tiny:1m", 854_000, true, 400.0)), NONE);

        assertThat(r.ranked()).extracting(Recommendation::model).containsExactly("tiny:1m", "openai/gpt-9");
        assertThat(r.ranked().get(0).score()).isLessThan(r.ranked().get(1).score()); // first although it scores lower
        assertThat(r.ranked().get(0).reasons()).contains("854K parameters"); // not "0.0B parameters"
        assertThat(r.ranked().get(1).tradeOffs()).anySatisfy(t -> assertThat(t).contains("needs an API key"));
    }

    @Test
    void aDatedSnapshotFoldsIntoItsAlias() {
        assertThat(Candidates.undated("anthropic/claude-opus-4-5-20251101")).isEqualTo("anthropic/claude-opus-4-5");
        assertThat(Candidates.undated("openai/gpt-5-2025-08-07")).isEqualTo("openai/gpt-5");
        assertThat(Candidates.undated("openai/gpt-5.1")).isEqualTo("openai/gpt-5.1");
    }
}

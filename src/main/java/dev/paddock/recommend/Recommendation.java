package dev.paddock.recommend;

import java.util.List;

/** A ranked candidate: its score 0–100, why, what it trades off, and what the score rests on. */
public record Recommendation(String model, String provider, int score, List<String> reasons, List<String> tradeOffs,
        Double monthlyCost, String fit, String basis, boolean available) {}

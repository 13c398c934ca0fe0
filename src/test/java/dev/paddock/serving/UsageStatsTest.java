package dev.paddock.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.paddock.runner.KeepAlive;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageStatsTest {
    private static RequestRecord ok(double ttft, double total, int completion) {
        return new RequestRecord("id", "m", "local", "cli", Instant.EPOCH, ttft, total, 10, completion, RequestRecord.OK, null, null);
    }

    @Test
    void meansCountOnlySuccessfulRequestsAndSpeedExcludesTheFirstToken() {
        RequestRecord failed = new RequestRecord("x", "m", "local", "cli", Instant.EPOCH, null, 5, null, null, RequestRecord.ERROR, "boom", null);
        UsageStats s = UsageStats.of(List.of(ok(100, 1100, 101), ok(300, 2300, 41), failed));

        assertThat(s.requests()).isEqualTo(3);
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.errorRate()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(s.meanTtftMillis()).isEqualTo(200.0);
        assertThat(s.meanDurationMillis()).isEqualTo(1700.0);
        // (100 tokens / 1 s + 40 tokens / 2 s) / 2 = (100 + 20) / 2
        assertThat(s.meanTokensPerSecond()).isCloseTo(60.0, within(1e-9));
        assertThat(s.completionTokens()).isEqualTo(142);
    }

    @Test
    void keepAliveAcceptsOllamaStyleDurations() {
        assertThat(KeepAlive.parseSeconds("300")).isEqualTo(300);
        assertThat(KeepAlive.parseSeconds("5m")).isEqualTo(300);
        assertThat(KeepAlive.parseSeconds("1h")).isEqualTo(3600);
        assertThat(KeepAlive.parseSeconds("30s")).isEqualTo(30);
        assertThat(KeepAlive.parseSeconds("-1")).isEqualTo(KeepAlive.FOREVER);
        assertThat(KeepAlive.parseSeconds("0")).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeepAlive.parseSeconds("soon")).hasMessageContaining("invalid keep-alive");
    }
}

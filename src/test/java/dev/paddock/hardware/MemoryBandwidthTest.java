package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBandwidthTest {
    @TempDir Path home;

    @Test
    void isMeasuredOncePerCpuAndThenReadFromTheCache() {
        CpuTopology cpu = CpuTopology.detect();
        MemoryBandwidth first = MemoryBandwidth.of(home, cpu, Clock.systemUTC(), false);
        MemoryBandwidth again = MemoryBandwidth.of(home, cpu, Clock.systemUTC(), false);

        assertThat(first.gbPerSecond()).isPositive().isEqualTo(Math.max(first.readGbPerSecond(), first.copyGbPerSecond()));
        assertThat(first.threads()).isEqualTo(Math.max(1, cpu.physicalCores()));
        assertThat(again).isEqualTo(first);
        assertThat(MemoryBandwidth.cached(home)).contains(first);
        assertThat(home.resolve("hardware/bandwidth.json")).exists();
    }
}

package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The real probes on this machine (OSHI, /proc, cgroups); a missing GPU tool is "none found". */
class HardwareReportTest {
    @Test
    void describesThisMachine() {
        HardwareReport hw = HardwareReport.detect(command -> Optional.empty());

        assertThat(hw.cpu().logicalCpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(hw.cpu().physicalCores()).isBetween(1, hw.cpu().logicalCpus());
        assertThat(hw.cpu().model()).isNotBlank();
        assertThat(hw.memory().totalBytes()).isGreaterThan(hw.memory().availableBytes()).isPositive();
        assertThat(hw.os()).isNotBlank();
        assertThat(hw.gpus()).isEmpty();
    }
}

package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sampler integrates a real process's stream of power readings, as nvidia-smi -lms prints them (one line per GPU). */
class GpuPowerSamplerTest {
    @Test
    void integratesTheDrawOfEveryGpuOverTime() throws Exception {
        // two GPUs at 100 W and 50 W, a sample every 200 ms, six samples: 150 W for about a second
        GpuPowerSampler s = GpuPowerSampler.start(List.of("sh", "-c",
                "for i in 1 2 3 4 5 6; do printf '100.00\\n50.00\\n[N/A]\\n'; sleep 0.2; done; exec sleep 30"));
        Thread.sleep(1600);
        double joules = s.stop().orElseThrow();
        assertThat(joules).isBetween(150 * 0.8, 150 * 1.4);
    }

    @Test
    void fewerThanTwoSamplesOrNoToolIsUnavailable() {
        GpuPowerSampler s = GpuPowerSampler.start(List.of("sh", "-c", "echo 80.0; exec sleep 30"));
        assertThat(s.stop()).isEmpty();
        assertThat(GpuPowerSampler.start(List.of("/nonexistent/nvidia-smi"))).isNull();
    }
}

package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RAPL counters laid out as the kernel does, in a folder of the test's own. */
class EnergyMeterTest {
    @TempDir Path powercap;

    private void zone(String name, long energy, long range) throws IOException {
        Path z = Files.createDirectories(powercap.resolve(name));
        Files.writeString(z.resolve("energy_uj"), energy + "\n");
        Files.writeString(z.resolve("max_energy_range_uj"), range + "\n");
    }

    @Test
    void packagesAreSummedSubZonesSkippedAndWrapAroundHandled() throws IOException {
        zone("intel-rapl:0", 1_000_000, 262_143_328_850L);
        zone("intel-rapl:1", 262_143_000_000L, 262_143_328_850L);
        zone("intel-rapl:0:0", 5, 100); // core sub-zone: inside package 0 already
        EnergyMeter meter = new EnergyMeter(powercap);
        EnergyMeter.Reading before = meter.read();

        zone("intel-rapl:0", 31_000_000, 262_143_328_850L); // +30 J
        zone("intel-rapl:1", 671_150, 262_143_328_850L); // wrapped: +328,850 + 671,150 µJ = +1 J
        EnergyMeter.Reading after = meter.read();

        assertThat(after.joulesSince(before)).hasValueCloseTo(31.0, within(1e-9));
        assertThat(EnergyMeter.whPerThousandTokens(36.0, 1000)).isCloseTo(0.01, within(1e-12));
    }

    @Test
    void noCountersMeansUnavailable() {
        assertThat(new EnergyMeter(powercap.resolve("missing")).read()).isNull();
        assertThat(new EnergyMeter(powercap).read()).isNull();
    }
}

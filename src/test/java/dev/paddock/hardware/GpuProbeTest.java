package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU parsers on the real H100 outputs in fixtures/hardware, and hand-made variants. */
class GpuProbeTest {
    static final Path H100 = Path.of("src/test/resources/fixtures/hardware/h100-vm");

    @TempDir Path dir;

    private static SystemTool recorded(Map<List<String>, String> outputs) {
        return command -> {
            String out = outputs.get(command);
            if (out != null && out.startsWith("FAIL:")) {
                throw new SystemTool.Failed(out.substring(5));
            }
            return Optional.ofNullable(out);
        };
    }

    @Test
    void readsTheH100() throws IOException {
        SystemTool tool = recorded(Map.of(GpuProbe.NVIDIA_QUERY, Files.readString(H100.resolve("nvidia-smi-query.csv")),
                GpuProbe.NVIDIA_XML, Files.readString(H100.resolve("nvidia-smi-q.xml"))));

        List<GpuInfo> gpus = GpuProbe.detect(tool, "Linux", n -> {});

        assertThat(gpus).singleElement().satisfies(g -> {
            assertThat(g.vendor()).isEqualTo("nvidia");
            assertThat(g.name()).isEqualTo("NVIDIA H100 80GB HBM3");
            assertThat(g.memoryTotalBytes()).isEqualTo(81559L << 20);
            assertThat(g.memoryFreeBytes()).isEqualTo(81079L << 20);
            assertThat(g.driver()).isEqualTo("580.159.04");
            assertThat(g.runtimeVersion()).isEqualTo("13.0");
            assertThat(g.computeCapability()).isEqualTo("9.0");
            assertThat(g.powerDrawWatts()).isEqualTo(131.48);
            assertThat(g.powerLimitWatts()).isEqualTo(700.0);
        });
    }

    @Test
    void readsSeveralGpusAndToleratesNotAvailableFields() {
        String csv = """
                0, GPU-a, NVIDIA GeForce RTX 4090, 550.54.14, 24564, 1024, 23540, 3, 40, 35.10, 450.00, 8.9, 00000000:01:00.0
                1, GPU-b, NVIDIA GeForce RTX 3090, 550.54.14, 24576, 0, 24576, 0, 35, [N/A], [N/A], 8.6, 00000000:02:00.0
                """;
        List<GpuInfo> gpus = GpuProbe.detect(recorded(Map.of(GpuProbe.NVIDIA_QUERY, csv)), "Linux", n -> {});

        assertThat(gpus).extracting(GpuInfo::name).containsExactly("NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3090");
        assertThat(gpus.get(1).powerDrawWatts()).isNull();
        assertThat(gpus.get(1).runtimeVersion()).isNull();
    }

    @Test
    void noToolMeansNoneFoundAndADriverErrorIsANote() {
        List<String> notes = new ArrayList<>();
        assertThat(GpuProbe.detect(recorded(Map.of()), "Linux", notes::add)).isEmpty();
        assertThat(notes).isEmpty();

        String driverError = "FAIL:NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                + "Make sure that the latest NVIDIA driver is installed and running.";
        assertThat(GpuProbe.detect(recorded(Map.of(GpuProbe.NVIDIA_QUERY, driverError)), "Linux", notes::add)).isEmpty();
        assertThat(notes).singleElement().asString().startsWith("nvidia-smi: NVIDIA-SMI has failed");
    }

    @Test
    void readsAmdAndAppleGpus() {
        String rocm = """
                {"card0": {"Card series": "AMD Instinct MI210", "Card SKU": "D67301", "GFX Version": "gfx90a",
                 "VRAM Total Memory (B)": "68702699520", "VRAM Total Used Memory (B)": "11059200"}}""";
        List<GpuInfo> amd = GpuProbe.detect(recorded(Map.of(GpuProbe.ROCM, rocm)), "Linux", n -> {});
        List<GpuInfo> apple = GpuProbe.detect(recorded(Map.of(GpuProbe.APPLE, "Apple M2 Max\n68719476736\n")), "Mac OS X", n -> {});

        assertThat(amd).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("AMD Instinct MI210");
            assertThat(g.memoryFreeBytes()).isEqualTo(68702699520L - 11059200L);
        });
        assertThat(apple).singleElement().satisfies(g -> {
            assertThat(g.unifiedMemory()).isTrue();
            assertThat(g.memoryTotalBytes()).isEqualTo(64L << 30);
        });
    }

    @Test
    void aContainersCpuLimitIsRead() throws IOException {
        Files.writeString(dir.resolve("cpu.max"), "150000 100000\n");
        assertThat(CpuLimit.read(dir)).hasValue(1.5);
        Files.writeString(dir.resolve("cpu.max"), "max 100000\n");
        assertThat(CpuLimit.read(dir)).isEmpty();
    }
}

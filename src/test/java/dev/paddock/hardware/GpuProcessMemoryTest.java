package dev.paddock.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** nvidia-smi's compute-apps query, in its documented CSV form (pid, used_memory in MiB, no header, no units). */
class GpuProcessMemoryTest {
    @Test
    void sumsTheRowsOfTheProcessOverItsGpus() {
        String csv = "4242, 1536\n977, 80\n4242, 512\n";
        assertThat(GpuProcessMemory.parse(csv, 4242)).contains(2048L << 20);
        assertThat(GpuProcessMemory.parse(csv, 977)).contains(80L << 20);
    }

    @Test
    void aProcessWithNoRowOrAFigureNotShownIsUnknownNotZero() {
        assertThat(GpuProcessMemory.parse("977, 80\n", 4242)).isEmpty();
        assertThat(GpuProcessMemory.parse("", 4242)).isEmpty();
        assertThat(GpuProcessMemory.parse("4242, [N/A]\n", 4242)).isEmpty();
    }

    @Test
    void withoutNvidiaSmiOrWithADriverErrorItIsUnknown() {
        assertThat(GpuProcessMemory.usedBytes(1, command -> Optional.empty())).isEmpty();
        assertThat(GpuProcessMemory.usedBytes(1, command -> {
            throw new SystemTool.Failed("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver");
        })).isEmpty();
        assertThat(GpuProcessMemory.usedBytes(7, command -> {
            assertThat(command).containsExactly("nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits");
            return Optional.of("7, 300\n");
        })).contains(300L << 20);
    }
}

package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stored runs exported as CSV and JSON read back to the same values. */
class RunExportTest {
    private static final BenchRun RUN = new BenchRun("r1", "tiny:f32", "local", "sha256:ab", "F32", "llama.cpp b4916",
            "Intel Xeon, 2 cores, 23 GiB RAM", "{\"reps\":2,\"prompt\":[16, 64]}", "speed", "1", Instant.parse("2026-11-22T10:00:00Z"),
            Instant.parse("2026-11-22T10:01:00Z"), "complete", null, List.of(
                    new SpeedSample(1, 16, 8, 1234.5, 456.25, 12.0, 2.5, 30.0, List.of(2.0, 3.0), null, null),
                    new SpeedSample(2, 16, 0, null, null, null, null, 5.0, List.of(), "the runner said \"no\", twice,\nthen stopped", 1.5)));

    @Test
    void csvRoundTripsEveryFieldWithQuotesCommasAndLineBreaks() {
        List<List<String>> rows = RunCsv.parse(RunCsv.of(List.of(RUN)));

        assertThat(rows).hasSize(3);
        assertThat(rows.getFirst()).isEqualTo(RunCsv.HEADER);
        List<String> first = rows.get(1);
        assertThat(first).hasSize(RunCsv.HEADER.size());
        assertThat(first.get(RunCsv.HEADER.indexOf("settings"))).isEqualTo(RUN.settings());
        assertThat(first.get(RunCsv.HEADER.indexOf("hardware"))).isEqualTo(RUN.hardware());
        assertThat(Double.parseDouble(first.get(RunCsv.HEADER.indexOf("tg_tok_s")))).isEqualTo(456.25);
        assertThat(Double.parseDouble(first.get(RunCsv.HEADER.indexOf("pp_tok_s")))).isEqualTo(1234.5);
        assertThat(first.get(RunCsv.HEADER.indexOf("energy_j"))).as("unknown stays empty, not 0").isEmpty();
        List<String> failed = rows.get(2);
        assertThat(failed.get(RunCsv.HEADER.indexOf("error"))).isEqualTo(RUN.samples().get(1).error());
        assertThat(failed.get(RunCsv.HEADER.indexOf("energy_j"))).isEqualTo("1.5");
        assertThat(failed.get(RunCsv.HEADER.indexOf("started_at"))).isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void jsonRoundTripsTheWholeRun() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        BenchRun back = json.readValue(json.writeValueAsString(RUN), BenchRun.class);
        assertThat(back).isEqualTo(RUN);
    }
}

package dev.paddock.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineSourceTest {
    @TempDir Path dir;

    @Test
    void nothingMeansThePinnedReleaseWithItsPinnedIntegrity() {
        assertThat(EngineSource.parse(null, null)).isEqualTo(new EngineSource.Npm("node-llama-cpp", "3.22.1",
                EngineSource.PINNED_INTEGRITY));
        assertThat(EngineSource.parse("npm:node-llama-cpp@3.22.1", null)).isEqualTo(EngineSource.parse("", null));
        assertThat(EngineSource.parse("npm:@scope/pkg@1.2.3", null)).isEqualTo(new EngineSource.Npm("@scope/pkg", "1.2.3", null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "npm:node-llama-cpp|is not an npm source; write npm:PACKAGE@VERSION",
            "ftp://example.com/llama.tar.gz|must be http:// or https:// with a host",
            "/no/such/llama|no file or folder /no/such/llama",
    })
    void badSourcesSayWhatToWrite(String spec, String message) {
        assertThatThrownBy(() -> EngineSource.parse(spec, null)).hasMessageContaining(message);
    }

    @Test
    void aFolderThatIsNotLlamaCppIsRefused() {
        assertThatThrownBy(() -> EngineSource.parse(dir.toString(), null)).hasMessageContaining("is not a llama.cpp source folder");
    }

    @Test
    void aDigestMustBeSixtyFourHexDigits() throws Exception {
        Path f = Files.writeString(dir.resolve("llama-server"), "x");
        assertThatThrownBy(() -> EngineSource.parse(f.toString(), "abc")).hasMessageContaining("--sha256 must be 64 hexadecimal digits");
        assertThat(EngineSource.parse(f.toString(), "A".repeat(64))).isEqualTo(new EngineSource.Archive(f.toString(), "a".repeat(64)));
    }

    @Test
    void integrityStringsAreCheckedAgainstTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("t.tgz"), "tarball");
        String sri = NpmRegistryServer.sri("tarball".getBytes());
        assertThat(SourceFetch.integrityMatches(f, sri)).isTrue();
        assertThat(SourceFetch.integrityMatches(f, "sha1-abc " + sri)).isTrue();
        assertThat(SourceFetch.integrityMatches(f, NpmRegistryServer.sri("other".getBytes()))).isFalse();
    }

    @Test
    void versionLinesOfBothEraAreRead() {
        assertThat(EngineVersion.parse("version: 0.5.0-dev (build 1, commit de3ff81)\nbuilt with GNU 12.2.0"))
                .isEqualTo(new EngineVersion("llama.cpp 0.5.0-dev build 1", "de3ff81"));
        assertThat(EngineVersion.parse("version: 6543 (abcdef12)\n")).isEqualTo(new EngineVersion("llama.cpp b6543", "abcdef12"));
        assertThat(EngineVersion.parse("nonsense").commit()).isNull();
    }
}

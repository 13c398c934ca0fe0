package dev.paddock.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.db.Database;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.GgufValue;
import dev.paddock.gguf.GgufWriter;
import dev.paddock.model.ModelName;
import dev.paddock.provider.ChatMessage;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.TokenListener;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.store.ImportProgress;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With runner.llama_server set, the runner serves through the user's llama-server with the same contract. */
@Tag("e2e")
class LlamaServerRunnerIT {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    void aQwen3ModelRunsThroughLlamaServerWithTheKeyInAFileNotOnTheCommandLine() throws Exception {
        Path args = files.resolve("args.txt");
        Path fake = files.resolve("llama-server");
        Files.writeString(fake, "#!/bin/sh\nFAKE_ARGS=" + args + " exec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -cp '" + System.getProperty("java.class.path") + "' " + FakeLlamaServer.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path qwen3 = files.resolve("qwen3.gguf");
        new GgufWriter().write(qwen3, Map.of("general.architecture", new GgufValue.Str("qwen3")), List.of(
                new GgufWriter.Tensor("token_embd.weight", List.of(32L, 4L), GgmlType.F32, (b, first, n) -> {
                    for (long i = 0; i < n; i++) {
                        b.putFloat(0);
                    }
                })));
        ModelStore store = new ModelStore(new StoreLayout(home),
                new JdbcModelRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "")),
                new GgufReader(), Clock.systemUTC(), w -> {});
        store.importFile(qwen3, ModelName.parse("qwen3:0.6b"), false, ImportProgress.NONE);
        RunnerSupervisor supervisor = new RunnerSupervisor(home, new RunnerDefaults(512, 2, 512, 0, 60, 3,
                Duration.ofSeconds(60), fake.toString()), new GgufReader(), Clock.systemUTC(), w -> {}, true);
        LocalProvider local = new LocalProvider(store, supervisor);
        try {
            ChatResult r = local.chat(ChatRequest.of("qwen3:0.6b", List.of(ChatMessage.user("hi"))), TokenListener.NONE);

            assertThat(r.text()).isEqualTo("Hello from llama-server");
            assertThat(r.completionTokens()).isEqualTo(3);
            assertThat(r.engineTimings().promptTokens()).isEqualTo(9);
            assertThat(r.engineTimings().generatedMillis()).isEqualTo(6.0);
            LoadedRunner runner = supervisor.loaded().getFirst();
            assertThat(runner.engine()).startsWith("llama-server");
            String argv = Files.readString(args);
            assertThat(argv).contains("-m", "--api-key-file", "-c\n512", "--host\n127.0.0.1");
            String key = argv.substring(argv.indexOf("KEY=") + 4);
            assertThat(argv.substring(0, argv.indexOf("KEY="))).doesNotContain(key);
            assertThat(key).isEqualTo(runner.token());
        } finally {
            supervisor.loaded().forEach(r -> supervisor.stop(ModelName.parse(r.model())));
        }
    }
}

package dev.paddock.cli;

import dev.paddock.app.Paddock;
import dev.paddock.config.PaddockConfig;
import dev.paddock.config.Setting;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerSettings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", description = "Serve the REST API (/api), the OpenAI-compatible gateway (/v1) and the web dashboard (/).")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: server.host, 127.0.0.1);"
            + " any other than loopback needs an access token (PADDOCK_TOKEN).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: server.port, 7700; 0 picks a free one).")
    Integer port;

    @Option(names = "--ollama-port", paramLabel = "PORT", description = "Also serve Ollama's API on this port (default:"
            + " server.ollama_port, off), e.g. 11434 for Open WebUI and other Ollama clients.")
    Integer ollamaPort;

    @Override
    public Integer call() throws InterruptedException {
        Paddock paddock = root.serverPaddock();
        PaddockConfig config = paddock.config();
        String token = root.env().getOrDefault("PADDOCK_TOKEN", config.get(Setting.SERVER_TOKEN));
        ServerSettings settings = new ServerSettings(host != null ? host : config.get(Setting.SERVER_HOST),
                port != null ? port : config.integer(Setting.SERVER_PORT), token,
                Math.max(1, config.integer(Setting.SERVER_MAX_BODY_KB)) * 1024L,
                config.list(Setting.SERVER_CORS_ORIGINS), config.list(Setting.SERVER_ALLOWED_HOSTS))
                .withOllamaPort(ollamaPort != null ? ollamaPort : config.get(Setting.SERVER_OLLAMA_PORT).isBlank() ? null
                        : config.integer(Setting.SERVER_OLLAMA_PORT));
        String version = new VersionProvider().getVersion()[0].replaceFirst("^paddock ", "");
        var out = spec.commandLine().getOut();
        dev.paddock.server.ServeLock lock = dev.paddock.server.ServeLock.acquire(config.home());
        PaddockServer server;
        try {
            server = PaddockServer.start(paddock, settings, version, line -> {
                out.println(line);
                out.flush();
            });
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        lock.listening(server.url());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close(); // runners started by the server stop with it
            paddock.close();
            lock.close();
            stopped.countDown();
        }, "paddock-serve-stop"));
        stopped.await();
        return 0;
    }
}

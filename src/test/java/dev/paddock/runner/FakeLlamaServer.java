package dev.paddock.runner;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stands in for llama.cpp's llama-server binary in tests (none can be downloaded here): takes its flags,
 * reads the API key from --api-key-file, answers /health with 503 while "loading", then streams chat
 * completions in llama-server's shape, timings included. Writes its argv to the file named by FAKE_ARGS.
 */
public final class FakeLlamaServer {
    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        String port = a.get(a.indexOf("--port") + 1);
        String key = Files.readString(Path.of(a.get(a.indexOf("--api-key-file") + 1))).strip();
        if (System.getenv("FAKE_ARGS") != null) {
            Files.writeString(Path.of(System.getenv("FAKE_ARGS")), String.join("\n", a) + "\nKEY=" + key);
        }
        long readyAt = System.currentTimeMillis() + 300;
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)), 8);
        s.createContext("/health", ex -> {
            int status = System.currentTimeMillis() < readyAt ? 503 : 200;
            byte[] b = (status == 200 ? "{\"status\":\"ok\"}" : "{\"error\":{\"code\":503,\"message\":\"Loading model\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.createContext("/v1/", ex -> {
            ex.getRequestBody().readAllBytes();
            if (!("Bearer " + key).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                byte[] b = "{\"error\":{\"code\":401,\"message\":\"Invalid API Key\",\"type\":\"authentication_error\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(401, b.length);
                ex.getResponseBody().write(b);
                ex.close();
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (String word : List.of("Hello", " from", " llama-server")) {
                    out.write(("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"" + word
                            + "\"}}],\"object\":\"chat.completion.chunk\"}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write(("data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"object\":\"chat.completion.chunk\","
                        + "\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":9,\"total_tokens\":12},"
                        + "\"timings\":{\"prompt_n\":9,\"prompt_ms\":4.5,\"predicted_n\":3,\"predicted_ms\":6.0}}\n\n"
                        + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        s.start();
    }
}

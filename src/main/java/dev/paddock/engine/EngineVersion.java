package dev.paddock.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code llama-server --version} says: its version line and the commit it was built from. */
record EngineVersion(String version, String commit) {
    // "version: 0.5.0-dev (build 1, commit de3ff81)" (2026) or "version: 6543 (abcdef12)" (2025)
    private static final Pattern NEW = Pattern.compile("version:\\s*(\\S+)\\s*\\(build (\\d+), commit ([0-9a-f]{6,40})\\)");
    private static final Pattern OLD = Pattern.compile("version:\\s*(\\d+)\\s*\\(([0-9a-f]{6,40})\\)");

    static EngineVersion parse(String output) {
        Matcher m = NEW.matcher(output);
        if (m.find()) {
            return new EngineVersion("llama.cpp " + m.group(1) + " build " + m.group(2), m.group(3));
        }
        m = OLD.matcher(output);
        if (m.find()) {
            return new EngineVersion("llama.cpp b" + m.group(1), m.group(2));
        }
        return new EngineVersion("unknown", null);
    }

    static EngineVersion of(Path server) {
        try {
            Process p = new ProcessBuilder(List.of(server.toString(), "--version")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024); // drained to its end: the process cannot block on a full pipe
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new EngineVersion("unknown", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new EngineVersion("unknown", null);
        }
    }
}

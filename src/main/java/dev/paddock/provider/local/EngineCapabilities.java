package dev.paddock.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.JsonHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a loaded model can take, as llama-server says on {@code /props}: tools when its chat template renders
 * them (llama.cpp reads the call format off the template, and without one it would ignore the tools
 * silently), images when a vision projector is loaded, and as many answers to one prompt ({@code n}) as it has slots.
 */
record EngineCapabilities(boolean tools, boolean vision, int slots) {
    static final EngineCapabilities UNKNOWN = new EngineCapabilities(true, false, 1);
    /** {@code chat_template_caps} is written as a Python dict: {'supports_tools': True, …}. */
    private static final Pattern TOOLS = Pattern.compile("'supports_tools'\\s*:\\s*(True|False)");

    static EngineCapabilities read(JsonHttp http, int port, String token) {
        JsonNode props;
        try {
            props = http.get(URI.create("http://127.0.0.1:" + port + "/props"), Map.of("Authorization", "Bearer " + token),
                    Duration.ofSeconds(10));
        } catch (PaddockException e) {
            return UNKNOWN; // an engine without /props: its own answer will say what it cannot do
        }
        JsonNode caps = props.path("chat_template_caps");
        boolean tools = true;
        if (caps.isObject()) {
            tools = caps.path("supports_tools").asBoolean(true);
        } else if (caps.isTextual()) {
            Matcher m = TOOLS.matcher(caps.asText());
            tools = !m.find() || m.group(1).equals("True");
        }
        return new EngineCapabilities(tools, props.path("modalities").path("vision").asBoolean(false),
                Math.max(1, props.path("total_slots").asInt(1)));
    }
}

package dev.paddock.server;

import dev.paddock.app.Paddock;
import dev.paddock.engine.Engine;
import java.util.List;
import java.util.Optional;

/** The dashboard's Engines page: installed engines with Use, Test and Remove, and an install form whose build streams live. */
final class EnginePage {
    private EnginePage() {}

    static String render(Paddock paddock) {
        List<Engine> engines = paddock.engines().list();
        Optional<String> def = paddock.engines().defaultId();
        StringBuilder s = new StringBuilder("<div id=\"engines-live\" data-live=\"engines\">"); // kept current by app.js (/api/events)
        if (engines.isEmpty()) { // an empty state, not a table of headings over nothing
            return s.append("<p id=\"engines-empty\">No engine is installed: local models run on the embedded llama.cpp "
                    + dev.paddock.runner.EmbeddedEngine.BUILD + ". Installing one brings newer models (qwen3, gpt-oss, gemma3n…),"
                    + " four requests at once and GPU builds.</p></div>").append(ERROR_AND_INSTALL_FORM).toString();
        }
        s.append("<table id=\"engines\" class=\"data\"><thead><tr><th>Default</th><th>Id</th><th>Version</th><th>Backend</th>"
                + "<th class=\"num\">Size</th><th>Smoke test</th><th>Installed</th><th>Source</th><th>Actions</th></tr></thead><tbody>");
        for (Engine e : engines) {
            boolean isDefault = def.filter(e.id()::equals).isPresent();
            String id = Html.esc(e.id());
            s.append("<tr data-engine=\"").append(id).append("\"><td>").append(isDefault ? "★ default" : "").append("</td><td>").append(id)
                    .append("</td><td>").append(Html.esc(e.version())).append("</td><td>").append(Html.esc(e.backend()))
                    .append("</td><td class=\"num\">").append(Html.bytes(e.sizeBytes())).append("</td><td>")
                    .append(e.smokeTest() == null ? "not run" : (e.smokeTest().passed() ? "passed" : "FAILED: ") + (e.smokeTest().passed()
                            ? "" : Html.esc(e.smokeTest().detail()))).append("</td><td>").append(Html.esc(e.installedAt()))
                    .append("</td><td>").append(Html.esc(e.source())).append("</td><td>")
                    .append("<button type=\"button\" class=\"engine-use\" aria-label=\"Use ").append(id).append("\"")
                    .append(isDefault || !e.usable() ? " disabled" : "").append(">Use</button> ")
                    .append("<button type=\"button\" class=\"engine-test\" aria-label=\"Test ").append(id).append("\">Test</button> ")
                    .append("<button type=\"button\" class=\"engine-rm\" aria-label=\"Remove ").append(id).append("\">Remove</button>")
                    .append("</td></tr>");
        }
        return s.append("</tbody></table></div>").append(ERROR_AND_INSTALL_FORM).toString();
    }

    /** Outside the live part: an action's error and a build in progress stay while the list is drawn again. */
    private static final String ERROR_AND_INSTALL_FORM = """
                <p id="engine-error" class="error" role="alert"></p>
                <section aria-labelledby="install-title"><h2 id="install-title">Install an engine</h2>
                <form id="engine-form"><label>Source <input id="engine-source" type="text" size="50"
                placeholder="empty: the pinned llama.cpp release; or a folder, archive, URL or llama-server binary"></label>
                <label>Backend <select id="engine-backend"><option>cpu</option><option>cuda</option><option>vulkan</option></select></label>
                <label>SHA-256 (for a prebuilt engine from a URL) <input id="engine-sha256" type="text" size="20"></label>
                <button type="submit" id="engine-install">Install</button></form>
                <progress id="engine-progress" max="100" value="0"></progress>
                <p id="engine-status" role="status" aria-live="polite"></p>
                <p id="engine-install-error" class="error" role="alert"></p></section>""";
}

package dev.paddock.server;

import static dev.paddock.server.Html.esc;

import dev.paddock.app.Paddock;
import dev.paddock.inventory.InventoryRow;
import java.util.List;

/**
 * The dashboard's Chat page: any model of any provider through the gateway ({@code /v1/chat/completions}, streamed),
 * with time to first token, tokens/s and how much of the context the conversation uses; choosing two or more
 * models is the arena, the same prompt to each side by side with their speed and cost. The page's script lives in
 * {@code app.js} (initChat).
 */
final class ChatPage {
    private ChatPage() {}

    static String render(Paddock paddock) {
        List<InventoryRow> rows = paddock.inventory().list(true, w -> {});
        StringBuilder s = new StringBuilder("<form id=\"chat-form\"><fieldset><legend>Models (two or more: the arena)</legend>");
        if (rows.isEmpty()) {
            s.append("<p>No models yet: pull one on the Models page, or configure a provider.</p>");
        }
        boolean first = true;
        for (InventoryRow m : rows) {
            s.append("<label><input type=\"checkbox\" name=\"chat-model\" value=\"").append(esc(m.name())).append("\" data-context=\"")
                    .append(m.contextLength() == null ? "" : m.contextLength()).append("\"").append(first ? " checked" : "")
                    .append("> ").append(esc(m.name())).append(m.provider().equals("local") || m.name().startsWith(m.provider() + "/") ? ""
                            : " (" + esc(m.provider()) + ")")
                    .append("</label> ");
            first = false;
        }
        s.append("""
                </fieldset>
                <label for="chat-prompt">Message</label>
                <textarea id="chat-prompt" rows="3" placeholder="Ask something; Enter sends, Shift+Enter makes a new line"></textarea>
                <div class="toolbar"><button type="submit" id="chat-send">Send</button>
                <button type="button" id="chat-stop" disabled>Stop</button><button type="button" id="chat-clear">Clear</button></div>
                <p id="chat-error" class="error" role="alert"></p>
                </form>
                <div id="chat-columns" class="chat-columns"></div>
                """);
        return s.toString();
    }
}

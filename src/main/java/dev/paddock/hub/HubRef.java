package dev.paddock.hub;

import dev.paddock.error.PaddockException;
import java.util.regex.Pattern;

/**
 * A Hugging Face repository as a user names it: {@code owner/repo[@revision][:QUANT]}, or with
 * {@code /path/file.gguf} after the repository for one file. Names are checked the way the Hub allows them,
 * so nothing a user types reaches a URL as anything but a repository, revision or file name.
 *
 * @param quant the quantisation asked for (Q4_K_M…), null for the best that fits
 * @param path a file in the repository, null when the quantisation chooses it
 */
public record HubRef(String repo, String revision, String quant, String path) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern QUANT = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    /** {@code owner/repo…} without the {@code hf://} scheme. */
    public static HubRef parse(String text) {
        String usage = "; use OWNER/REPO[@REVISION][:QUANT] or OWNER/REPO[@REVISION]/PATH/FILE.gguf";
        String[] parts = text.split("/", 3);
        if (parts.length < 2 || !PART.matcher(parts[0]).matches() || text.contains("..")) {
            throw PaddockException.invalidInput("invalid Hugging Face repository \"" + text + "\"" + usage);
        }
        String repo = parts[1];
        String path = parts.length == 3 ? parts[2] : null;
        String quant = null;
        if (path == null) {
            int colon = repo.indexOf(':');
            if (colon >= 0) {
                quant = repo.substring(colon + 1);
                repo = repo.substring(0, colon);
                if (!QUANT.matcher(quant).matches()) {
                    throw PaddockException.invalidInput("invalid quantisation \"" + quant + "\" in \"" + text + "\"" + usage);
                }
            }
        }
        String revision = "main";
        int at = repo.indexOf('@');
        if (at >= 0) {
            revision = repo.substring(at + 1);
            repo = repo.substring(0, at);
            if (!REVISION.matcher(revision).matches()) {
                throw PaddockException.invalidInput("invalid revision \"" + revision + "\" in \"" + text + "\"" + usage);
            }
        }
        if (!PART.matcher(repo).matches() || path != null && (path.isEmpty() || path.startsWith("/") || path.contains("//"))) {
            throw PaddockException.invalidInput("invalid Hugging Face repository \"" + text + "\"" + usage);
        }
        return new HubRef(parts[0] + "/" + repo, revision, quant, path);
    }

    @Override
    public String toString() {
        return repo + (revision.equals("main") ? "" : "@" + revision) + (quant == null ? "" : ":" + quant) + (path == null ? "" : "/" + path);
    }
}

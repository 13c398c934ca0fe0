package dev.paddock.cli;

import dev.paddock.hardware.CpuTopology;
import dev.paddock.hardware.KvCacheType;
import dev.paddock.hardware.SystemMemory;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubModels;
import dev.paddock.hub.HubRef;
import dev.paddock.hub.QuantChoice;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "search", description = {"Search Hugging Face for GGUF models, or list a repository's quantisations with whether each fits.",
        "TERM lists repositories (most downloaded first); OWNER/REPO[@REV] lists its GGUF files: quantisation, size, parts, "
                + "SHA-256 and the fit estimate, the best that fits marked *. The Hub is HF_ENDPOINT (default huggingface.co); "
                + "HF_TOKEN is sent when set."})
final class SearchCommand implements Callable<Integer> {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][^\\s]*");

    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TERM|OWNER/REPO", description = "What to search for, or a repository to list.")
    String query;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Most repositories to list (1–100).")
    int limit;

    @Option(names = "--ctx", paramLabel = "N", description = "Context the fit leaves room for (default: the model's, at most 4096).")
    Integer context;

    @Option(names = "--kv-type", paramLabel = "TYPE", defaultValue = "f16", description = "KV cache type for the fit: f16, q8_0 or q4_0.")
    String kvType;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 100) {
            throw dev.paddock.error.PaddockException.usage("--limit must be from 1 to 100, not " + limit);
        }
        if (context != null && context < 256) {
            throw dev.paddock.error.PaddockException.usage("--ctx must be at least 256, not " + context);
        }
        KvCacheType kv = FlagValue.parse(() -> KvCacheType.parse(kvType));
        PrintWriter out = spec.commandLine().getOut();
        try (HubClient hub = new HubClient(root.env())) {
            HubModels models = new HubModels(hub, root.paddock().store().layout().tmp());
            if (REPO.matcher(query.strip()).matches()) {
                return listRepo(models, HubRef.parse(query.strip()), kv, out);
            }
            var repos = models.search(query.strip(), limit);
            if (json) {
                Json.print(out, repos);
                return 0;
            }
            if (repos.isEmpty()) {
                root.err().println("no GGUF repository on " + hub.endpoint() + " matches \"" + query.strip() + "\"");
                return 0;
            }
            Table t = new Table("REPOSITORY", "ARCH", "PARAMS", "CONTEXT", "DOWNLOADS", "LIKES", "UPDATED").right(2, 3, 4, 5);
            Instant now = Instant.now();
            for (HubClient.Repo r : repos) {
                t.row(r.id() + (r.gated() ? " (gated)" : ""), r.architecture(), Format.count(r.parameters()), Format.tokens(r.contextLength()),
                        Format.count(r.downloads()), Format.count(r.likes()), updated(r.lastModified(), now));
            }
            t.print(out);
            root.err().println("\"paddock search OWNER/REPO\" lists a repository's quantisations and which fit");
            return 0;
        }
    }

    private int listRepo(HubModels models, HubRef ref, KvCacheType kv, PrintWriter out) {
        var listing = models.list(ref, context, kv, SystemMemory.detect(), CpuTopology.detect());
        if (json) {
            Json.print(out, listing);
            return 0;
        }
        var f = listing.facts();
        if (f != null) {
            var any = listing.choices().stream().filter(c -> c.fit() != null).findFirst().orElseThrow().fit();
            out.printf(Locale.ROOT, "%s: %s, %s parameters, trained context %s; fit at context %s (KV %s) on %s available%n",
                    ref.repo(), f.architecture(), Format.count(f.parameterCount()), Format.tokens(f.contextLength()),
                    Format.tokens((long) any.estimate().context()), kv.name().toLowerCase(Locale.ROOT), Format.bytes(any.availableBytes()));
        } else {
            out.println(ref.repo() + ": " + listing.note());
        }
        Table t = new Table("QUANT", "SIZE", "PARTS", "FIT", "NEEDS", "LARGEST CTX", "SHA-256").right(1, 2, 4, 5);
        for (QuantChoice c : listing.choices()) {
            String fit = c.fit() == null ? "?" : c.fit().fits() ? (c.best() ? "yes *" : "yes") : "no";
            t.row(c.quant(), Format.bytes(c.size()), c.parts().size(), fit, c.fit() == null ? null : Format.bytes(c.fit().estimate().expectedBytes()),
                    c.fit() == null || !c.fit().fits() ? null : Format.tokens((long) c.fit().largestContext()),
                    c.sha256() == null ? (c.split() ? "(per part)" : null) : c.sha256().substring(0, 12) + "…");
        }
        t.print(out);
        var projectors = listing.choices().stream().map(QuantChoice::projector).filter(java.util.Objects::nonNull).distinct()
                .map(p -> p.path() + " (" + Format.bytes(p.size()) + ")").toList();
        if (!projectors.isEmpty()) {
            out.println("vision: a pull brings the model's projector too, " + String.join(" or ", projectors)
                    + " (the closest in bits per weight); --no-mmproj leaves it out");
        }
        listing.choices().stream().filter(QuantChoice::best).findFirst().ifPresentOrElse(
                b -> root.err().println("pull the best that fits (" + b.quant() + "): paddock pull hf://" + ref.repo()
                        + (ref.revision().equals("main") ? "" : "@" + ref.revision())),
                () -> root.err().println(f == null ? "pull one with: paddock pull hf://" + ref.repo() + ":QUANT"
                        : "none fits this machine at this context; try a smaller --ctx or --kv-type q8_0"));
        return 0;
    }

    private static String updated(String iso, Instant now) {
        if (iso == null) {
            return null;
        }
        try {
            return Format.ago(Instant.parse(iso), now);
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }
}

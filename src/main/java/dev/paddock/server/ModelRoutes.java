package dev.paddock.server;

import dev.paddock.app.Paddock;
import dev.paddock.error.PaddockException;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /api/models and /api/active: list across providers, show, delete, import; the active model. */
final class ModelRoutes {
    private final Paddock paddock;
    private final ApiRoutes api;

    ModelRoutes(Paddock paddock, ApiRoutes api) {
        this.paddock = paddock;
        this.api = api;
    }

    void register() {
        api.get("/api/models", "models", "Every model: the local store, then each provider's (?remote=false: the store only)", this::list)
                .returns(ModelList.class);
        api.get("/api/models/<name>", "models", "A local model: its manifest and the facts read from its GGUF header", this::show)
                .returns("{model: StoredModel, ggufVersion: integer, facts: GgufFacts, metadataKeys: string[], tensorCount: integer}",
                        dev.paddock.store.StoredModel.class, dev.paddock.gguf.GgufFacts.class);
        api.delete("/api/models/<name>", "models", "Removes a local model (its file goes once no other name holds it)", this::remove)
                .returns("{removed: string[], freedBytes: integer, notes: string[]}");
        api.post("/api/models/import", "models", "Imports a GGUF file the server can read (201; 200 when it was installed already)",
                "{path: string, mmproj?: string, name?: string, replace?: boolean}", this::importFile)
                .returns("{model: StoredModel, unchanged: boolean}", dev.paddock.store.StoredModel.class).status(201, 200);
        api.get("/api/active", "models", "The active model", ctx -> ctx.json(Map.of("model",
                paddock.activeModel().get().map(Object.class::cast).orElse("")))).returns("{model: string}");
        api.post("/api/active", "models", "Switches the active model (a local one is loaded first)", "{model: string}",
                ctx -> ctx.json(paddock.modelSwitcher().switchTo(RequestBody.of(ctx).requiredText("model"))))
                .returns(dev.paddock.serving.ModelSwitcher.Switched.class);
    }

    /** {@code GET /api/models}: every model, the active one, and a line for each provider that could not be asked. */
    record ModelList(List<dev.paddock.inventory.InventoryRow> models, String active, List<String> warnings) {}

    private void list(Context ctx) {
        List<String> warnings = new ArrayList<>();
        boolean remote = !"false".equals(ctx.queryParam("remote"));
        var models = paddock.inventory().list(remote, warnings::add);
        ctx.json(new ModelList(models, paddock.activeModel().get().orElse(null), warnings));
    }

    private void show(Context ctx) {
        ModelStore.Details d = paddock.store().show(ModelName.parse(ctx.pathParam("name")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", d.model());
        body.put("ggufVersion", d.file().version());
        body.put("facts", d.file().facts());
        body.put("metadataKeys", List.copyOf(d.file().metadata().keySet()));
        body.put("tensorCount", d.file().tensors().size());
        ctx.json(body);
    }

    private void remove(Context ctx) {
        ModelName name = ModelName.parse(ctx.pathParam("name"));
        var r = paddock.deletion().remove(List.of(name));
        ctx.json(Map.of("removed", r.removed(), "freedBytes", r.freedBytes(), "notes", r.notes()));
    }

    private void importFile(Context ctx) {
        RequestBody b = RequestBody.of(ctx);
        Path file = readableFile(b.requiredText("path"));
        String projector = b.text("mmproj");
        String name = b.text("name");
        ModelStore.ImportResult r = paddock.store().importFile(file, file.toString(), name == null ? null : ModelName.parse(name),
                b.flag("replace"), (done, total) -> {}, projector == null ? null : readableFile(projector));
        ctx.status(r.unchanged() ? 200 : 201).json(Map.of("model", r.model(), "unchanged", r.unchanged()));
    }

    /** A file the server reads for a client: named by an absolute path. */
    private static Path readableFile(String path) {
        Path file;
        try {
            file = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw PaddockException.invalidInput("\"" + path + "\" is not a path: " + e.getReason());
        }
        if (!file.isAbsolute()) {
            throw PaddockException.invalidInput("give an absolute path the server can read, not \"" + path + "\"");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw PaddockException.notFound("the server cannot read a file at " + path);
        }
        return file;
    }
}

package dev.paddock.inventory;

import dev.paddock.model.ModelName;
import dev.paddock.runner.RunnerSupervisor;
import dev.paddock.serving.ActiveModel;
import dev.paddock.store.ModelStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Removing models, for the CLI and the API alike: the names go from the store, their runners stop, and a
 * removed active model stops being active (the user is told), so nothing keeps serving a model that is gone.
 */
public final class ModelDeletion {
    /** What was removed, the bytes freed, and what else changed because of it. */
    public record Result(List<String> removed, long freedBytes, List<String> notes) {
        public Result {
            removed = List.copyOf(removed);
            notes = List.copyOf(notes);
        }
    }

    private final ModelStore store;
    private final RunnerSupervisor supervisor;
    private final ActiveModel active;

    public ModelDeletion(ModelStore store, RunnerSupervisor supervisor, ActiveModel active) {
        this.store = store;
        this.supervisor = supervisor;
        this.active = active;
    }

    public Result remove(List<ModelName> names) {
        ModelStore.RemoveResult r = store.remove(names);
        List<String> notes = new ArrayList<>();
        List<String> removed = r.removed().stream().map(ModelName::toString).toList();
        for (ModelName n : r.removed()) {
            if (supervisor.stop(n)) {
                notes.add("stopped the runner of " + n);
            }
        }
        active.get().filter(a -> removed.contains(canonical(a))).ifPresent(a -> {
            active.clear();
            notes.add(a + " was the active model; none is active now (\"paddock use MODEL\" sets another)");
        });
        return new Result(removed, r.freedBytes(), notes);
    }

    private static String canonical(String name) {
        try {
            return ModelName.parse(name).toString();
        } catch (RuntimeException e) {
            return name; // a model of another provider: never in the local store
        }
    }
}

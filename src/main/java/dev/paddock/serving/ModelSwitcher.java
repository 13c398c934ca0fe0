package dev.paddock.serving;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.Providers;
import dev.paddock.provider.local.LocalProvider;
import dev.paddock.runner.RunnerDefaults;
import java.time.Duration;

/**
 * Switches the active model: a local one is loaded first (so a model that cannot load never becomes active),
 * a remote one must be listed by its provider.
 */
public final class ModelSwitcher {
    private final Providers providers;
    private final ActiveModel active;

    public ModelSwitcher(Providers providers, ActiveModel active) {
        this.providers = providers;
        this.active = active;
    }

    /** @param detail "loaded in …", "already loaded" or "available at URL" */
    public record Switched(String model, String previous, String provider, String detail, Duration loadTime, Duration switchTime) {}

    public Switched switchTo(String model) {
        long begin = System.nanoTime();
        Providers.Target t = providers.resolve(model, LocalProvider.NAME);
        String detail;
        Duration loadTime = null;
        if (t.provider() instanceof LocalProvider local) {
            var loaded = local.load(t.model(), RunnerDefaults.Overrides.NONE);
            loadTime = loaded.loadTime();
            detail = loaded.started() ? "loaded" : "already loaded";
        } else {
            boolean known = t.provider().listModels().stream().map(ProviderModel::name).anyMatch(t.model()::equals);
            if (!known) {
                throw PaddockException.notFound(t.provider().name() + " has no model " + t.model());
            }
            detail = "available at " + t.provider().location();
        }
        String previous = active.get().orElse(null);
        active.set(model);
        return new Switched(model, previous, t.provider().name(), detail, loadTime, Duration.ofNanos(System.nanoTime() - begin));
    }
}

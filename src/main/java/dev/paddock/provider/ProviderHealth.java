package dev.paddock.provider;

/** Whether a provider answered a model listing just now: how many models, or why not. */
public record ProviderHealth(String name, String kind, String location, boolean reachable, Integer models, String error) {

    public static ProviderHealth of(Provider p) {
        try {
            return new ProviderHealth(p.name(), p.kind(), p.location(), true, p.listModels().size(), null);
        } catch (dev.paddock.error.PaddockException e) {
            return new ProviderHealth(p.name(), p.kind(), p.location(), false, null, e.getMessage());
        }
    }
}

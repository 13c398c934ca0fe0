package dev.paddock.provider;

import java.util.List;

/** A provider that can say which models it has. */
public interface ModelLister {
    List<ProviderModel> listModels();
}

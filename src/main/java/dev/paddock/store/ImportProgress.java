package dev.paddock.store;

/** Told how far a copy into the store has come; called often, so renderers throttle. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (done, total) -> {};

    void copied(long bytesDone, long bytesTotal);
}

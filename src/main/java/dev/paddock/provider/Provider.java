package dev.paddock.provider;

/** A configured provider: its name in the fleet, its kind, and what it can do. */
public interface Provider extends ModelLister, ChatProvider, AutoCloseable {
    String name();

    /** Releases its HTTP connections; most providers hold nothing else. */
    @Override
    default void close() {}

    String kind();

    /** Where it is, for messages ("http://127.0.0.1:11434", "local store"). */
    String location();
}

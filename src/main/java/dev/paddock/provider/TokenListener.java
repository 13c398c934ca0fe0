package dev.paddock.provider;

/** Receives streamed text as it arrives. */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = text -> {};

    void token(String text);
}

package dev.paddock.provider;

/** A provider that answers chat requests, streaming. */
public interface ChatProvider {
    /** Streams the answer to {@code listener} and returns the whole result once it is done. */
    ChatResult chat(ChatRequest request, TokenListener listener);
}

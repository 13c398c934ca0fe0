package dev.paddock.provider;

/** A provider that also turns texts into vectors (the local engine, OpenAI-compatible servers, Ollama, Gemini). */
public interface EmbeddingProvider {
    Embeddings embed(EmbeddingRequest request);
}

package dev.paddock.provider.openai;

import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.Provider;
import dev.paddock.provider.ProviderModel;
import dev.paddock.provider.TokenListener;
import java.util.List;

/** Any OpenAI-compatible server at a base URL: llama-server, vLLM, LM Studio, Jan, OpenAI, OpenRouter, Groq. */
public final class OpenAiProvider implements Provider, dev.paddock.provider.EmbeddingProvider,
        dev.paddock.provider.TextCompletionProvider {
    private final String name;
    private final String url;
    private final OpenAiClient client;

    public OpenAiProvider(String name, String url, OpenAiClient client) {
        this.name = name;
        this.url = url;
        this.client = client;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "openai";
    }

    @Override
    public String location() {
        return url;
    }

    @Override
    public List<ProviderModel> listModels() {
        return client.modelIds().stream().map(id -> new ProviderModel(name, id, null, null, null, null, null)).toList();
    }

    @Override
    public ChatResult chat(ChatRequest request, TokenListener listener) {
        return client.chat(request, listener);
    }

    @Override
    public dev.paddock.provider.Embeddings embed(dev.paddock.provider.EmbeddingRequest request) {
        return client.embed(request);
    }

    @Override
    public ChatResult complete(ChatRequest settings, String prompt, TokenListener listener) {
        return client.complete(settings, prompt, listener);
    }

    @Override
    public void close() {
        client.close();
    }
}

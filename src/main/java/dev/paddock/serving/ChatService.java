package dev.paddock.serving;

import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ChatResult;
import dev.paddock.provider.Providers;
import dev.paddock.provider.TokenListener;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Sends a chat to whichever provider a model reference names, and records the request either way. */
public final class ChatService {
    private final Providers providers;
    private final RequestLog log;
    private final Clock clock;
    private final String localProvider;

    public ChatService(Providers providers, RequestLog log, Clock clock, String localProvider) {
        this.providers = providers;
        this.log = log;
        this.clock = clock;
        this.localProvider = localProvider;
    }

    public ChatResult chat(ChatRequest request, TokenListener listener, String source) {
        Providers.Target target = providers.resolve(request.model(), localProvider);
        Instant started = clock.instant();
        long begin = System.nanoTime();
        try {
            ChatResult r = target.provider().chat(request.withModel(target.model()), listener);
            log.record(new RequestRecord(UUID.randomUUID().toString(), target.model(), target.provider().name(), source,
                    started, r.timeToFirstToken() == null ? null : r.timeToFirstToken().toNanos() / 1e6,
                    r.total().toNanos() / 1e6, r.promptTokens(), r.completionTokens(), RequestRecord.OK, null));
            return r;
        } catch (PaddockException e) {
            log.record(new RequestRecord(UUID.randomUUID().toString(), target.model(), target.provider().name(), source,
                    started, null, (System.nanoTime() - begin) / 1e6, null, null, RequestRecord.ERROR, e.getMessage()));
            throw e;
        }
    }
}

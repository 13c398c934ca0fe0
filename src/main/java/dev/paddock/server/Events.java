package dev.paddock.server;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.CountDownLatch;

/** Streams a job's events to one SSE client: the past ones first, then live ones, until the job ends or the client goes. */
final class Events {
    private Events() {}

    static void stream(JobBoard board, SseClient client, String jobId) {
        if (board.job(jobId).isEmpty()) {
            client.sendEvent("end", java.util.Map.of("state", "unknown", "error", "this server runs no such job now; poll its state instead"));
            client.close();
            return;
        }
        CountDownLatch ended = new CountDownLatch(1);
        client.keepAlive();
        Runnable unsubscribe = board.subscribe(jobId, e -> {
            if (client.terminated()) {
                ended.countDown();
                return;
            }
            client.sendEvent(e.type(), e, String.valueOf(e.seq()));
            if (e.type().equals("end")) {
                ended.countDown();
            }
        });
        client.onClose(ended::countDown);
        Thread.ofVirtual().start(() -> {
            try {
                ended.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } finally {
                unsubscribe.run();
                client.close();
            }
        });
    }
}

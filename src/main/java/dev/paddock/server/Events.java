package dev.paddock.server;

import io.javalin.http.sse.SseClient;

/**
 * Streams a job's events to one SSE client: the past ones first, then live ones, until the job ends or the
 * client goes; written by the client's own thread through an {@link EventQueue}.
 */
final class Events {
    private Events() {}

    static void stream(JobBoard board, SseClient client, String jobId) {
        if (board.job(jobId).isEmpty()) {
            client.sendEvent("end", java.util.Map.of("state", "unknown", "error", "this server runs no such job now; poll its state instead"));
            client.close();
            return;
        }
        client.keepAlive();
        EventQueue queue = new EventQueue(new EventQueue.Sink() {
            @Override
            public void send(String type, Object data, String id) {
                if (id == null) {
                    client.sendEvent(type, data);
                } else {
                    client.sendEvent(type, data, id);
                }
            }

            @Override
            public void close() {
                client.close();
            }
        });
        client.onClose(queue::closed);
        Runnable unsubscribe = board.subscribe(jobId, queue::offer);
        Thread.ofVirtual().name("sse-" + jobId).start(() -> queue.drain(unsubscribe));
    }
}

package dev.paddock.server;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One subscriber's events on their way to a slow reader (a browser tab, a script): the publisher only
 * enqueues, never waits, and this subscriber's own thread writes. When the queue is full a progress event
 * is dropped (a newer one follows) or makes room by dropping queued ones; an event that finds no room overruns the subscriber, which is then told to poll
 * and closed, so no reader can stall a download's control loop or lose an event silently.
 */
final class EventQueue {
    /** Where events go: one SSE client. */
    interface Sink {
        void send(String type, Object data, String id);

        void close();
    }

    static final int CAPACITY = 1024;
    private static final JobBoard.Event CLOSED = new JobBoard.Event(-1, "closed", null, null);
    private static final JobBoard.Event OVERRUN = new JobBoard.Event(-2, "overrun", null, null);

    private final BlockingQueue<JobBoard.Event> queue = new ArrayBlockingQueue<>(CAPACITY + 2);
    private final Sink sink;
    private volatile boolean overrun;

    EventQueue(Sink sink) {
        this.sink = sink;
    }

    /** Called on the publisher's thread (under the board's lock while replaying): never blocks. */
    synchronized void offer(JobBoard.Event e) {
        if (overrun) {
            return;
        }
        if (queue.size() >= CAPACITY) {
            if (e.type().equals("progress")) {
                return; // a newer one follows
            }
            queue.removeIf(x -> x.type().equals("progress")); // room for what cannot be dropped
        }
        if (queue.size() < CAPACITY) {
            queue.offer(e);
            return;
        }
        overrun = true;
        queue.clear();
        queue.offer(OVERRUN);
    }

    /** The reader went away. */
    synchronized void closed() {
        queue.clear();
        queue.offer(CLOSED);
    }

    /** Writes events until the job's end, the reader's leaving or an overrun; then runs {@code done}. */
    void drain(Runnable done) {
        try {
            while (true) {
                JobBoard.Event e = queue.take();
                if (e == CLOSED) {
                    return;
                }
                if (e == OVERRUN) {
                    sink.send("end", Map.of("state", "unknown", "error", "this client fell behind the job's events;"
                            + " poll the job's state instead"), null);
                    return;
                }
                sink.send(e.type(), e, String.valueOf(e.seq()));
                if (e.type().equals("end")) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the reader's connection broke mid-write: nothing more to send it
        } finally {
            done.run();
            sink.close();
        }
    }
}

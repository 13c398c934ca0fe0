package dev.paddock.server;

import dev.paddock.app.Paddock;
import io.javalin.http.sse.SseClient;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code GET /api/events}: what the dashboard's pages show that can change while they are open (the models, the
 * benchmark runs, the requests, the engines), as one server-sent {@code change} event per change naming its topic.
 * Each topic's state is read every two seconds while a page listens (a stamp: names and digests, the latest run, the
 * request count), so changes made by other Paddock processes, a pull from the CLI say, show as well as this server's.
 */
final class ChangeFeed implements AutoCloseable {
    enum Topic { MODELS, RUNS, REQUESTS, ENGINES }

    private static final long PERIOD_MILLIS = 2000;

    private final Map<Topic, Supplier<String>> stamps = new EnumMap<>(Topic.class);
    private final Map<Topic, String> last = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Consumer<Topic>> listeners = new CopyOnWriteArrayList<>();
    /** The pages listening, closed before the server stops: a response finished after Jetty recycled it sends Javalin astray. */
    private final java.util.Set<SseClient> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Each page's writer, which {@link #close} waits for: nothing of a stream is left to run once the server stops. */
    private final java.util.Set<Thread> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Thread poller;
    private volatile boolean closed;

    ChangeFeed(Paddock paddock) {
        stamps.put(Topic.MODELS, () -> paddock.store().stamp() + " active " + paddock.activeModel().get().orElse(""));
        stamps.put(Topic.RUNS, () -> paddock.benchRuns().history(null, 1).stream().map(r -> r.id() + " " + r.status()).toList().toString());
        stamps.put(Topic.REQUESTS, () -> paddock.requestLog().stamp());
        stamps.put(Topic.ENGINES, () -> paddock.engines().list().stream().map(e -> e.id() + " " + e.usable()).toList()
                + " default " + paddock.engines().defaultId().orElse(""));
    }

    /**
     * The state of every topic now, as a page records it when it is made ({@code models=HASH;runs=HASH;…}): a page that
     * connects later names it, and hears at once of what changed in between.
     */
    String stamps() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Topic, Supplier<String>> e : stamps.entrySet()) {
            String now;
            try {
                now = e.getValue().get();
            } catch (RuntimeException unreadable) {
                now = "?";
            }
            s.append(s.isEmpty() ? "" : ";").append(e.getKey().name().toLowerCase(java.util.Locale.ROOT)).append('=')
                    .append(Integer.toHexString(now.hashCode()));
        }
        return s.toString();
    }

    /** Streams changes to one page until it goes; {@code ?since=STAMPS} (from {@link #stamps}) catches up on the ones it missed. */
    void stream(SseClient client) {
        client.keepAlive();
        BlockingQueue<Topic> changes = new LinkedBlockingQueue<>();
        Consumer<Topic> listener = changes::offer;
        subscribe(listener);
        String since = client.ctx().queryParam("since");
        if (since != null) { // what changed between the page's making and its listening
            java.util.Set<String> now = java.util.Set.of(stamps().split(";"));
            for (String topic : since.split(";")) {
                int eq = topic.indexOf('=');
                if (eq > 0 && !now.contains(topic)) {
                    try {
                        changes.offer(Topic.valueOf(topic.substring(0, eq).toUpperCase(java.util.Locale.ROOT)));
                    } catch (IllegalArgumentException unknown) {
                        // not a topic: nothing to catch up on
                    }
                }
            }
        }
        clients.add(client);
        client.onClose(() -> {
            listeners.remove(listener);
            clients.remove(client);
            changes.offer(Topic.MODELS); // wakes the writer, which sees the page gone and ends
        });
        if (closed) {
            client.close();
            return;
        }
        client.sendComment("listening"); // the page knows at once that it is connected
        Thread writer = Thread.ofVirtual().name("paddock-changes").unstarted(() -> {
            try {
                while (!client.terminated() && !closed) {
                    Topic t = changes.poll(15, TimeUnit.SECONDS);
                    if (client.terminated() || closed) {
                        break; // the page went, or the server is stopping: nothing more to say
                    }
                    if (t == null) {
                        client.sendComment("still here"); // finds a page that went away without saying so
                    } else {
                        client.sendEvent("change", Map.of("topic", t.name().toLowerCase(java.util.Locale.ROOT)));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                listeners.remove(listener);
                clients.remove(client);
                writers.remove(Thread.currentThread());
            }
        });
        writers.add(writer);
        writer.start();
    }

    private synchronized void subscribe(Consumer<Topic> listener) {
        if (listeners.isEmpty()) { // the state now is what later changes are changes of: nothing between is missed
            for (Map.Entry<Topic, Supplier<String>> e : stamps.entrySet()) {
                try {
                    last.put(e.getKey(), e.getValue().get());
                } catch (RuntimeException unreadable) {
                    last.remove(e.getKey());
                }
            }
        }
        listeners.add(listener);
        if (poller == null) {
            poller = Thread.ofPlatform().daemon().name("paddock-change-feed").start(this::poll);
        }
    }

    private void poll() {
        while (!closed) {
            if (!listeners.isEmpty()) {
                for (Map.Entry<Topic, Supplier<String>> e : stamps.entrySet()) {
                    String now;
                    try {
                        now = e.getValue().get();
                    } catch (RuntimeException unreadable) {
                        continue; // a database or folder busy for a moment: looked at again next time
                    }
                    String before = last.put(e.getKey(), now);
                    if (before != null && !before.equals(now)) {
                        listeners.forEach(l -> l.accept(e.getKey()));
                    }
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Ends every page's stream while the server still runs, then stops looking. */
    @Override
    public void close() {
        closed = true;
        clients.forEach(SseClient::close); // each page's onClose wakes its writer, which sees it gone and ends
        for (Thread w : writers) {
            try {
                w.join(java.time.Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Thread p = poller;
        if (p != null) {
            p.interrupt();
        }
    }
}

package dev.paddock.server;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The server's long jobs (pulls, benchmarks) and their events, kept in memory so that a page opened late
 * replays them and a client can poll instead of streaming. Progress events are coalesced (only the latest
 * is kept) so a long download does not fill memory; every other event is kept.
 */
final class JobBoard {
    /** One event: {@code seq} counts from 1 within a job. */
    record Event(long seq, String type, Object data, Instant at) {}

    /** @param state running, done, failed, paused or cancelled */
    record Job(String id, String kind, String title, Instant startedAt, String state, String error, Event last) {}

    private static final int KEEP = 500;

    private final Clock clock;
    private final Map<String, Entry> jobs = new LinkedHashMap<>();

    private static final class Entry {
        Job job;
        final List<Event> events = new ArrayList<>();
        final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
        long seq;
    }

    JobBoard(Clock clock) {
        this.clock = clock;
    }

    /** Starts (or restarts: a resumed pull keeps its id) a job with no events. */
    synchronized Job start(String id, String kind, String title) {
        Entry e = jobs.computeIfAbsent(id, k -> new Entry());
        e.events.clear();
        e.job = new Job(id, kind, title, clock.instant(), "running", null, null);
        return e.job;
    }

    void publish(String id, String type, Object data) {
        Event ev;
        List<Consumer<Event>> listeners;
        synchronized (this) {
            Entry e = jobs.get(id);
            if (e == null) {
                return;
            }
            ev = new Event(++e.seq, type, data, clock.instant());
            if (type.equals("progress") && !e.events.isEmpty() && e.events.getLast().type().equals("progress")) {
                e.events.set(e.events.size() - 1, ev);
            } else {
                e.events.add(ev);
                if (e.events.size() > KEEP) {
                    e.events.remove(1); // the first (what started) is kept
                }
            }
            e.job = new Job(e.job.id(), e.job.kind(), e.job.title(), e.job.startedAt(), e.job.state(), e.job.error(), ev);
            listeners = List.copyOf(e.listeners);
        }
        listeners.forEach(l -> l.accept(ev));
    }

    /** Ends a job; its last event ("end") carries the final state. */
    void finish(String id, String state, String error) {
        synchronized (this) {
            Entry e = jobs.get(id);
            if (e == null) {
                return;
            }
            e.job = new Job(e.job.id(), e.job.kind(), e.job.title(), e.job.startedAt(), state, error, e.job.last());
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("state", state);
        end.put("error", error);
        publish(id, "end", end);
    }

    synchronized Optional<Job> job(String id) {
        return Optional.ofNullable(jobs.get(id)).map(e -> e.job);
    }

    synchronized List<Job> jobs(String kind) {
        return jobs.values().stream().map(e -> e.job).filter(j -> kind == null || j.kind().equals(kind)).toList();
    }

    synchronized List<Event> events(String id, long after) {
        Entry e = jobs.get(id);
        return e == null ? List.of() : e.events.stream().filter(ev -> ev.seq() > after).toList();
    }

    /**
     * Replays the job's events, then delivers new ones until the returned handle is run. The listener runs on the
     * publisher's thread, under the lock while replaying: it must only hand the event on (an {@link EventQueue}), never write.
     * @return a handle that unsubscribes
     */
    Runnable subscribe(String id, Consumer<Event> listener) {
        Entry e;
        synchronized (this) { // replayed under the lock, so no event is missed or repeated between replay and live
            e = jobs.get(id);
            if (e == null) {
                return () -> {};
            }
            e.events.forEach(listener);
            e.listeners.add(listener);
        }
        return () -> e.listeners.remove(listener);
    }
}

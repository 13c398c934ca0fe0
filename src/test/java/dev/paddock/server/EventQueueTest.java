package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A reader that does not read must not hold up the job that publishes. */
class EventQueueTest {
    /** A client whose connection takes nothing until the test lets it. */
    private static final class StuckSink implements EventQueue.Sink {
        final CountDownLatch unblocked = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public void send(String type, Object data, String id) {
            try {
                unblocked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.add(type);
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aStuckReaderNeitherBlocksThePublisherNorLosesTheEnd() throws Exception {
        JobBoard board = new JobBoard(Clock.systemUTC());
        board.start("j", "pull", "t");
        board.publish("j", "started", Map.of());
        StuckSink sink = new StuckSink();
        EventQueue q = new EventQueue(sink);
        Runnable unsubscribe = board.subscribe("j", q::offer);
        Thread writer = Thread.ofVirtual().start(() -> q.drain(unsubscribe));

        for (int i = 0; i < 20_000; i++) { // returns at once although nothing is written
            board.publish("j", "progress", Map.of("i", i));
        }
        board.publish("j", "notice", Map.of("message", "m"));
        board.finish("j", "done", null);
        sink.unblocked.countDown();

        assertThat(sink.closed.await(30, TimeUnit.SECONDS)).isTrue();
        writer.join();
        assertThat(sink.received.getFirst()).isEqualTo("started");
        assertThat(sink.received).endsWith("notice", "end").hasSizeLessThanOrEqualTo(EventQueue.CAPACITY + 1);
    }

    @Test
    void aReaderThatFallsBehindOnEventsThatCannotBeDroppedIsToldToPollAndLetGo() throws Exception {
        JobBoard board = new JobBoard(Clock.systemUTC());
        board.start("j", "bench", "t");
        StuckSink sink = new StuckSink();
        EventQueue q = new EventQueue(sink);
        boolean[] unsubscribed = {false};
        Runnable unsubscribe = board.subscribe("j", q::offer);
        Thread writer = Thread.ofVirtual().start(() -> q.drain(() -> {
            unsubscribed[0] = true;
            unsubscribe.run();
        }));

        for (int i = 0; i < EventQueue.CAPACITY * 3; i++) {
            board.publish("j", "sample", Map.of("i", i));
        }
        sink.unblocked.countDown();

        assertThat(sink.closed.await(30, TimeUnit.SECONDS)).isTrue();
        writer.join();
        assertThat(sink.received.getLast()).isEqualTo("end");
        assertThat(unsubscribed[0]).isTrue();
    }
}

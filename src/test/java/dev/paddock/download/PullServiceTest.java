package dev.paddock.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.catalog.Catalog;
import dev.paddock.catalog.CatalogEntry;
import dev.paddock.db.Database;
import dev.paddock.db.JdbcDownloadRepository;
import dev.paddock.db.JdbcModelRepository;
import dev.paddock.gguf.GgufReader;
import dev.paddock.gguf.LlamaModelSpec;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoreLayout;
import dev.paddock.testing.FaultyFileServer;
import dev.paddock.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real HTTP server on 127.0.0.1 that misbehaves on demand. */
class PullServiceTest {
    @TempDir static Path files;
    @TempDir Path home;

    static Path model;
    static String sha;
    static long size;

    private FaultyFileServer server;
    private ModelStore store;
    private PullService pulls;
    private final List<PullEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void generate() throws Exception {
        model = TestModels.write(LlamaModelSpec.small(), files, "small.gguf"); // ~30 MB
        sha = sha256(model);
        size = Files.size(model);
    }

    @BeforeEach
    void start() throws Exception {
        server = new FaultyFileServer().serve("small.gguf", model);
        Database db = Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "");
        store = new ModelStore(new StoreLayout(home), new JdbcModelRepository(db), new GgufReader(), Clock.systemUTC(), w -> {});
        Catalog catalog = Catalog.of(List.of(new CatalogEntry("small:f16", "llama", "15M", "F16", size, sha,
                server.url("small.gguf"), "tests", "mit", "2026-11-22", "a generated model")));
        pulls = new PullService(store, new JdbcDownloadRepository(db), catalog,
                new PullSettings(4, 1L << 20, 4, Duration.ofSeconds(1), 2), Clock.systemUTC(), Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private DownloadJob pull(String what) {
        return pulls.pull(what, null, null, false, events::add);
    }

    private void assertInstalled(String name) {
        var m = store.get(ModelName.parse(name));
        assertThat(m.digest().hex()).isEqualTo(sha);
        assertThat(store.blobPath(m)).hasSameBinaryContentAs(model);
        assertThat(home.resolve("partial")).isEmptyDirectory();
    }

    @Test
    void pullsByCatalogNameInPiecesOverSeveralConnectionsAndVerifies() {
        DownloadJob job = pull("small:f16");

        assertThat(job.state()).isEqualTo(DownloadJob.State.DONE);
        assertInstalled("small:f16");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Started.class,
                s -> assertThat(s.connections()).isEqualTo(4)));
        assertThat(events.getLast()).isInstanceOf(PullEvent.Done.class);
        List<Long> done = events.stream().filter(e -> e instanceof PullEvent.Progress p && p.stage().equals("downloading"))
                .map(e -> ((PullEvent.Progress) e).doneBytes()).toList();
        assertThat(done).isSorted().last().isEqualTo(size);
        assertThat(events.stream().filter(e -> e instanceof PullEvent.Progress).map(e -> ((PullEvent.Progress) e).stage()).distinct())
                .containsSubsequence("resolving", "downloading", "verifying", "installing");
        assertThat(server.bodyBytesSent()).isLessThan(size + 4096);
    }

    @Test
    void resumesAfterTheConnectionDropsHalfway() {
        server.dropAfter(300_000, 3);

        pull(server.url("small.gguf"));

        assertInstalled("small:latest");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Notice.class,
                n -> assertThat(n.message()).contains("retrying from byte", "closed")));
        // each retry continues where it stopped (a broken response may lose what was still in flight)
        assertThat(server.bodyBytesSent()).isLessThan(size + 3 * 64 * 1024);
    }

    @Test
    void aStalledConnectionIsDroppedAndRetried() {
        server.stallAfter(100_000, Duration.ofSeconds(4), 1);

        pull(server.url("small.gguf"));

        assertInstalled("small:latest");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Notice.class,
                n -> assertThat(n.message()).contains("no data for 1 s")));
    }

    @Test
    void aServerThatIgnoresRangeGetsOneStream() {
        server.ignoreRange(true);

        pull(server.url("small.gguf"));

        assertInstalled("small:latest");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Started.class,
                s -> assertThat(s.connections()).isEqualTo(1)));
    }

    @Test
    void transientServerErrorsAreRetried() {
        server.fail(503, 3);

        pull(server.url("small.gguf"));

        assertInstalled("small:latest");
    }

    @Test
    void aFlippedByteFailsTheChecksumAndNothingIsKeptOrInstalled() {
        server.flipByteAt(size / 2);

        assertThatThrownBy(() -> pulls.pull(server.url("small.gguf"), "small", sha, false, events::add))
                .hasMessageContaining("checksum mismatch for small:latest (expected " + sha.substring(0, 12))
                .hasMessageContaining("the partial file was removed");
        assertThat(store.find(ModelName.parse("small"))).isEmpty();
        assertThat(home.resolve("partial/" + PullService.jobId(ModelName.parse("small")))).doesNotExist();
        assertThat(pulls.jobs()).singleElement().satisfies(j -> assertThat(j.state()).isEqualTo(DownloadJob.State.FAILED));
    }

    @Test
    void thePublishersLinkedEtagIsADigestToo() {
        server.flipByteAt(10).linkedEtag(sha);

        assertThatThrownBy(() -> pull(server.url("small.gguf"))).hasMessageContaining("checksum mismatch");
    }

    @Test
    void redirectsToAnotherHostAreFollowed() {
        pull(server.redirectingUrl("small.gguf"));

        assertInstalled("small:latest");
    }

    @Test
    void aServerThatSendsNoLengthStillWorks() {
        server.noContentLength(true).ignoreRange(true);

        pull(server.url("small.gguf"));

        assertInstalled("small:latest");
    }

    @Test
    void aBodyLongerThanAnnouncedIsRefused() {
        server.ignoreRange(true).sendExtraBytes(1000);

        assertThatThrownBy(() -> pull(server.url("small.gguf"))).hasMessageContaining("sent more than the " + size + " bytes");
        assertThat(store.find(ModelName.parse("small"))).isEmpty();
    }

    @Test
    void pauseKeepsTheBytesAndResumeContinuesFromThem() throws Exception {
        server.throttle(1_000_000); // per connection: 4 MB/s in all, a pull lasts ~4 s
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DownloadJob> running = pool.submit(() -> pull(server.url("small.gguf")));
            waitForBytes(size / 4);
            String id = PullService.jobId(ModelName.parse("small"));
            pulls.pause(id);
            DownloadJob paused = running.get();
            assertThat(paused.state()).isEqualTo(DownloadJob.State.PAUSED);
            assertThat(paused.doneBytes()).isBetween(size / 8, size - 1);
            assertThat(pulls.jobs().getFirst().displayState()).isEqualTo("paused");

            server.throttle(0);
            long sentBefore = server.bodyBytesSent();
            DownloadJob done = pulls.resume(id.substring(0, 4), events::add);

            assertThat(done.state()).isEqualTo(DownloadJob.State.DONE);
            assertInstalled("small:latest");
            assertThat(server.bodyBytesSent() - sentBefore).isLessThan(size - paused.doneBytes() + 8 * (1 << 20));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancelStopsAndRemovesThePartialData() throws Exception {
        server.throttle(2_000_000);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DownloadJob> running = pool.submit(() -> pull(server.url("small.gguf")));
            waitForBytes(1 << 20);
            String id = PullService.jobId(ModelName.parse("small"));
            pulls.cancel(id);

            assertThat(running.get().state()).isEqualTo(DownloadJob.State.CANCELLED);
            assertThat(home.resolve("partial/" + id)).doesNotExist();
            assertThat(store.find(ModelName.parse("small"))).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileChangedOnTheServerBetweenAttemptsStartsOver() throws Exception {
        server.throttle(1_000_000); // per connection: 4 MB/s in all, a pull lasts ~4 s
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DownloadJob> running = pool.submit(() -> pull(server.url("small.gguf")));
            waitForBytes(size / 4);
            String id = PullService.jobId(ModelName.parse("small"));
            pulls.pause(id);
            running.get();
            server.throttle(0).etag("\"v2\"");

            pulls.resume(id, events::add);

            assertInstalled("small:latest");
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Notice.class,
                    n -> assertThat(n.message()).contains("the file changed on the server")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoPullsOfOneModelShareOneTransferAndOneBlob() throws Exception {
        server.throttle(2_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<DownloadJob> a = pool.submit(() -> pull(server.url("small.gguf")));
            waitForBytes(1 << 20);
            Future<DownloadJob> b = pool.submit(() -> pull(server.url("small.gguf")));
            assertThat(a.get().state()).isEqualTo(DownloadJob.State.DONE);
            assertThat(b.get().state()).isEqualTo(DownloadJob.State.DONE);
        } finally {
            pool.shutdownNow();
        }
        assertInstalled("small:latest");
        assertThat(server.bodyBytesSent()).isLessThan(size + (2 << 20));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Notice.class,
                n -> assertThat(n.message()).contains("following that transfer")));
        try (Stream<Path> blobs = Files.list(home.resolve("blobs"))) {
            assertThat(blobs).hasSize(1);
        }
    }

    @Test
    void somethingAlreadyInstalledWithTheSameDigestIsNotDownloadedAgain() {
        pull("small:f16");
        long sent = server.bodyBytesSent();
        events.clear();

        DownloadJob again = pull("small:f16");

        assertThat(again.state()).isEqualTo(DownloadJob.State.DONE);
        assertThat(events.getLast()).isInstanceOfSatisfying(PullEvent.Done.class, d -> assertThat(d.unchanged()).isTrue());
        assertThat(server.bodyBytesSent()).isEqualTo(sent);
    }

    @Test
    void aFileThatIsNotAModelIsRefusedAfterDownloadAndNotInstalled() throws Exception {
        Path text = Files.writeString(files.resolve("readme.gguf"), "this is not a model\n".repeat(1000));
        server.serve("readme.gguf", text);

        assertThatThrownBy(() -> pull(server.url("readme.gguf")))
                .hasMessageContaining("is not a usable model: not a GGUF file")
                .hasMessageContaining("nothing was installed");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void notFoundAccessDeniedAndBadUrlsAreClearErrors() {
        server.fail(404, 1);
        assertThatThrownBy(() -> pull(server.url("small.gguf"))).hasMessageStartingWith("not found (404): " + server.url("small.gguf"));
        server.fail(401, 1);
        assertThatThrownBy(() -> pull(server.url("small.gguf"))).hasMessageContaining("access denied (401)");
        assertThatThrownBy(() -> pull("ftp://example.com/x.gguf")).hasMessageContaining("Paddock pulls https://, http:// and hf://");
        assertThatThrownBy(() -> pull("https://")).hasMessageContaining("invalid URL");
        assertThatThrownBy(() -> pull("https://no-such-host.invalid/model.gguf"))
                .hasMessageStartingWith("cannot resolve the host no-such-host.invalid");
        assertThatThrownBy(() -> pull("smal:f16")).hasMessage("\"smal:f16\" is not in the catalog; did you mean \"small:f16\"?");
    }

    private void waitForBytes(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.bodyBytesSent() < bytes && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}

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
    private final Recorded events = new Recorded();

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
        assertThat(events).as("each retry is shown with its reason").filteredOn(e -> e instanceof PullEvent.Notice n
                && n.message().startsWith("retrying") && n.message().contains("503")).hasSize(3);
    }

    @Test
    void aFileThatIsNotAModelIsRefusedBeforeItsBytesAreFetchedAndNoneOfItIsRepeated() throws Exception {
        Path secret = Files.writeString(files.resolve("secret.txt"), "AWS_SECRET=hunter2-very-secret\n".repeat(20_000));
        server.serve("secret.txt", secret);

        assertThatThrownBy(() -> pull(server.url("secret.txt")))
                .isInstanceOfSatisfying(dev.paddock.error.PaddockException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.paddock.error.ErrorCode.INVALID_MODEL))
                .hasMessage("the file at " + server.url("secret.txt") + " is not a GGUF model (it is text, not a model);"
                        + " nothing was downloaded")
                .message().doesNotContain("AWS", "hunter", String.valueOf(Files.size(secret)));
        assertThat(server.bodyBytesSent()).isLessThanOrEqualTo(8);
        assertThat(events).noneSatisfy(e -> assertThat(e.toString()).contains("hunter"));
    }

    @Test
    void aDownloadOfUnknownSizeStopsAtItsBoundAndKeepsNothing() {
        server.ignoreRange(true).noContentLength(true); // no size anywhere: a stream that could go on for ever
        PullService bounded = new PullService(store, new JdbcDownloadRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"),
                "", "")), Catalog.of(List.of()), new PullSettings(4, 1L << 20, 4, Duration.ofSeconds(5), 2, 2L << 20), Clock.systemUTC(),
                Map.of());

        assertThatThrownBy(() -> bounded.pull(server.url("small.gguf"), null, null, false, events::add))
                .hasMessageContaining("sent more than 2 MiB without saying the file's size; raise download.max_unknown_size_gb");
        assertThat(home.resolve("partial/" + PullService.jobId(ModelName.parse("small")))).doesNotExist();
        assertThat(store.list()).isEmpty();
        assertThat(bounded.jobs().getFirst().state()).isEqualTo(DownloadJob.State.FAILED);
    }

    @Test
    void anErrorAnswersBodyIsNeverRepeated() throws Exception {
        try (var fake = new dev.paddock.testing.FakeHttpServer()) {
            fake.on("GET /leak.gguf", dev.paddock.testing.FakeHttpServer.Answer.json(418, "{\"token\": \"sk-live-123456\"}"));
            assertThatThrownBy(() -> pull(fake.url() + "/leak.gguf"))
                    .hasMessage("the server answered 418 for " + fake.url() + "/leak.gguf; check the URL")
                    .message().doesNotContain("sk-live");
        }
    }

    @Test
    void aRefusedConnectionAndATlsMismatchFailAtOnceWithTheReason() throws Exception {
        int closed;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        assertThatThrownBy(() -> pull("http://127.0.0.1:" + closed + "/m.gguf"))
                .hasMessageStartingWith("cannot connect to 127.0.0.1:" + closed + " for http://127.0.0.1:" + closed + "/m.gguf (")
                .message().doesNotContain("null");
        // https:// to a plain HTTP server, which answers the TLS greeting with a plain 400 (as nginx or Jetty do)
        try (var plain = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!plain.isClosed()) {
                    try (var c = plain.accept()) {
                        c.getInputStream().read(new byte[4096]); // the TLS greeting, then the plain answer to it
                        c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        c.getOutputStream().flush();
                        c.getInputStream().read(new byte[4096]); // until the client hangs up
                    } catch (java.io.IOException ignored) {
                        // the client hung up first, or the test is over
                    }
                }
            });
            assertThatThrownBy(() -> pull("https://127.0.0.1:" + plain.getLocalPort() + "/m.gguf"))
                    .hasMessageContaining("the TLS handshake with 127.0.0.1:" + plain.getLocalPort() + " failed (")
                    .hasMessageContaining("check that the URL's scheme");
        }
        assertThat(events).as("nothing was retried").noneSatisfy(e -> assertThat(e).isInstanceOf(PullEvent.Notice.class));
        assertThatThrownBy(() -> pull("http://127.0.0.1:99999/m.gguf"))
                .isInstanceOfSatisfying(dev.paddock.error.PaddockException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.paddock.error.ErrorCode.INVALID_INPUT))
                .hasMessageContaining("the port must be from 1 to 65535");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndSaysSo() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepts, reads nothing, says nothing
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            PullService impatient = new PullService(store, new JdbcDownloadRepository(Database.open("jdbc:sqlite:"
                    + home.resolve("paddock.db"), "", "")), Catalog.of(List.of()),
                    new PullSettings(4, 1L << 20, 1, Duration.ofSeconds(1), 2), Clock.systemUTC(), Map.of());
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/m.gguf";

            assertThatThrownBy(() -> impatient.pull(url, null, null, false, events::add))
                    .hasMessage("127.0.0.1:" + silent.getLocalPort() + " did not answer within 1 s (gave up after 1 retries)");
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Notice.class,
                    n -> assertThat(n.message()).startsWith("retrying in 0.25 s: 127.0.0.1:" + silent.getLocalPort() + " did not answer")));
            assertThat(impatient.job(PullService.jobId(ModelName.parse("m"))).state()).isEqualTo(DownloadJob.State.FAILED);
            for (var a : accepted) {
                a.close();
            }
        }
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
        server.holdAfter(size / 4); // the server holds the rest until released: the pull cannot end first
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DownloadJob> running = pool.submit(() -> pull(server.url("small.gguf")));
            server.awaitHeld();
            String id = PullService.jobId(ModelName.parse("small"));
            pulls.pause(id);
            DownloadJob paused = running.get();
            assertThat(paused.state()).isEqualTo(DownloadJob.State.PAUSED);
            assertThat(paused.doneBytes()).isBetween(size / 8, size - 1);
            assertThat(pulls.jobs().getFirst().displayState()).isEqualTo("paused");

            server.release();
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
        server.holdAfter(1 << 20);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DownloadJob> running = pool.submit(() -> pull(server.url("small.gguf")));
            server.awaitHeld();
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
        server.holdAfter(size / 4);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DownloadJob> running = pool.submit(() -> pull(server.url("small.gguf")));
            server.awaitHeld();
            String id = PullService.jobId(ModelName.parse("small"));
            pulls.pause(id);
            running.get();
            server.etag("\"v2\"").release();

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
        server.holdAfter(1 << 20);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<DownloadJob> a = pool.submit(() -> pull(server.url("small.gguf")));
            server.awaitHeld();
            Future<DownloadJob> b = pool.submit(() -> pull(server.url("small.gguf")));
            waitForEvent("following that transfer");
            server.release();
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
                .hasMessageContaining("is not a GGUF model (it is text, not a model); nothing was downloaded");
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

    @Test
    void aJoinOfAnotherSourceIsAConflictAndAGivenDigestIsAlwaysChecked() throws Exception {
        Path other = TestModels.tiny(files, "other.gguf");
        server.serve("other.gguf", other).holdAfter(1 << 20);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<DownloadJob> a = pool.submit(() -> pulls.pull(server.url("small.gguf"), "same:one", null, false, events::add));
            server.awaitHeld();
            assertThatThrownBy(() -> pulls.pull(server.url("other.gguf"), "same:one", sha256(other), false, e -> {}))
                    .isInstanceOfSatisfying(dev.paddock.error.PaddockException.class,
                            e -> assertThat(e.code()).isEqualTo(dev.paddock.error.ErrorCode.CONFLICT))
                    .hasMessageContaining("same:one is already being pulled from " + server.url("small.gguf"))
                    .hasMessageContaining("--cancel");
            // The same source with a digest the file does not have: joins, and the digest is checked at the end.
            Future<DownloadJob> b = pool.submit(() -> pulls.pull(server.url("small.gguf"), "same:one", sha256(other), false, events::add));
            waitForEvent("following that transfer");
            server.release();
            assertThat(a.get().state()).isEqualTo(DownloadJob.State.DONE);
            assertThatThrownBy(b::get).hasRootCauseInstanceOf(dev.paddock.error.PaddockException.class)
                    .rootCause().hasMessageContaining("checksum mismatch for same:one");
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find(ModelName.parse("same:one")).orElseThrow().digest().hex()).isEqualTo(sha);
    }

    @Test
    void aPauseWrittenWhileTheDownloaderUpdatesTheJobIsNeverLost() throws Exception {
        Database db = Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "");
        PullService[] service = new PullService[1];
        String id = PullService.jobId(ModelName.parse("small"));
        // The API's pause lands at the very moment the downloader writes what the server said of the file.
        DownloadRepository racing = new Hooked(new JdbcDownloadRepository(db), (op, state) -> {
            if (op.equals("describe")) {
                service[0].pause(id);
            }
        });
        service[0] = new PullService(store, racing, Catalog.of(List.of()), new PullSettings(4, 1L << 20, 4, Duration.ofSeconds(1), 2),
                Clock.systemUTC(), Map.of());
        server.holdAfter(8); // the probe gets its first bytes, the transfer none

        DownloadJob job = service[0].pull(server.url("small.gguf"), null, null, false, events::add);

        assertThat(job.state()).isEqualTo(DownloadJob.State.PAUSED);
        assertThat(service[0].job(id).state()).isEqualTo(DownloadJob.State.PAUSED);
        assertThat(store.find(ModelName.parse("small"))).isEmpty();
    }

    @Test
    void aCancelWrittenWhileTheJobWaitsForASlotEndsItBeforeAnyByte() {
        Database db = Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", "");
        PullService[] service = new PullService[1];
        String id = PullService.jobId(ModelName.parse("small"));
        DownloadRepository racing = new Hooked(new JdbcDownloadRepository(db), (op, state) -> {
            if (state == DownloadJob.State.RUNNING) {
                service[0].cancel(id);
            }
        });
        service[0] = new PullService(store, racing, Catalog.of(List.of()), new PullSettings(4, 1L << 20, 4, Duration.ofSeconds(1), 2),
                Clock.systemUTC(), Map.of());

        DownloadJob job = service[0].pull(server.url("small.gguf"), null, null, false, events::add);

        assertThat(job.state()).isEqualTo(DownloadJob.State.CANCELLED);
        assertThat(server.bodyBytesSent()).isZero();
        assertThat(home.resolve("partial/" + id)).doesNotExist();
    }

    /**
     * The real repository, with {@code beforeWrite} run before each write the downloader or the API makes
     * (the operation and, for state changes, the new state): another writer's change landing at exactly
     * that moment, or a database that has filled up.
     */
    private record Hooked(DownloadRepository real, java.util.function.BiConsumer<String, DownloadJob.State> beforeWrite)
            implements DownloadRepository {
        @Override
        public void save(DownloadJob job) {
            beforeWrite.accept("save", job.state());
            real.save(job);
        }

        @Override
        public java.util.Optional<DownloadJob> find(String id) {
            return real.find(id);
        }

        @Override
        public List<DownloadJob> findAll() {
            return real.findAll();
        }

        @Override
        public void progress(String id, long doneBytes, java.time.Instant at) {
            beforeWrite.accept("progress", null);
            real.progress(id, doneBytes, at);
        }

        @Override
        public boolean transition(String id, java.util.Set<DownloadJob.State> from, DownloadJob.State to, Long done, String error,
                java.time.Instant at) {
            beforeWrite.accept("transition", to);
            return real.transition(id, from, to, done, error, at);
        }

        @Override
        public void describe(String id, Long sizeBytes, String sha256, java.time.Instant at) {
            beforeWrite.accept("describe", null);
            real.describe(id, sizeBytes, sha256, at);
        }
    }

    private DownloadRepository jobsDb() {
        return new JdbcDownloadRepository(Database.open("jdbc:sqlite:" + home.resolve("paddock.db"), "", ""));
    }

    /** Writes fail as SQLite's do on a full disk once {@code full} is set. */
    private static java.util.function.BiConsumer<String, DownloadJob.State> fillsUp(java.util.concurrent.atomic.AtomicBoolean full) {
        return (op, state) -> {
            if (full.get()) {
                throw dev.paddock.error.PaddockException.storage("database error: [SQLITE_FULL] database or disk is full", null);
            }
        };
    }

    private PullService over(DownloadRepository repo) {
        return new PullService(store, repo, Catalog.of(List.of()), new PullSettings(4, 1L << 20, 1, Duration.ofSeconds(1), 2),
                Clock.systemUTC(), Map.of());
    }

    @Test
    void whenTheDatabaseCannotBeWrittenAPullCanStillBeCancelledAndEnds() throws Exception {
        var full = new java.util.concurrent.atomic.AtomicBoolean();
        PullService service = over(new Hooked(jobsDb(), fillsUp(full)));
        server.holdAfter(1 << 20);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DownloadJob> running = pool.submit(() -> service.pull(server.url("small.gguf"), null, null, false, events::add));
            server.awaitHeld();
            String id = PullService.jobId(ModelName.parse("small"));
            full.set(true);

            DownloadJob asked = service.cancel(id);

            assertThat(asked.state()).isEqualTo(DownloadJob.State.CANCELLING);
            assertThat(running.get().state()).isEqualTo(DownloadJob.State.CANCELLED);
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PullEvent.Stopped.class,
                    st -> assertThat(st.message()).contains("cancelled").contains("the database could not record it")));
            assertThat(home.resolve("partial/" + id)).doesNotExist();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenTheDatabaseCannotBeWrittenAFailingPullStillEndsWithItsReason() {
        var full = new java.util.concurrent.atomic.AtomicBoolean();
        PullService service = over(new Hooked(jobsDb(), fillsUp(full)));
        server.holdAfter(1 << 20); // the transfer stalls there; its retries then meet only errors
        Thread.ofVirtual().start(() -> {
            try {
                server.awaitHeld();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            full.set(true);
            server.fail(503, 1_000_000);
        });

        assertThatThrownBy(() -> service.pull(server.url("small.gguf"), null, null, false, events::add))
                .hasMessageContaining("the pull of " + server.url("small.gguf") + " failed");
        assertThat(events.getLast()).isInstanceOfSatisfying(PullEvent.Stopped.class,
                st -> assertThat(st.state()).isEqualTo(DownloadJob.State.FAILED));
    }

    private void waitForEvent(String notice) throws InterruptedException {
        events.awaitNotice(notice);
    }

    /** The events a pull reported, and a wait for one of them that wakes when it arrives. */
    private static final class Recorded extends CopyOnWriteArrayList<PullEvent> {
        @Override
        public synchronized boolean add(PullEvent e) {
            boolean added = super.add(e);
            notifyAll();
            return added;
        }

        synchronized void awaitNotice(String text) throws InterruptedException {
            long deadline = System.nanoTime() + 120_000_000_000L; // a bound for a broken build, not a measurement
            while (stream().noneMatch(e -> e instanceof PullEvent.Notice n && n.message().contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no notice \"" + text + "\" in " + this);
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}

package dev.paddock.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/events}: a page hears that the models changed, whoever changed them; a page that went away ends quietly. */
class ChangeFeedTest {
    @TempDir Path home;
    @TempDir Path files;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPageHearsAModelImportedAfterItStartedListening() throws Exception {
        try (ServerFixture s = ServerFixture.start(home); Socket page = new Socket("127.0.0.1", s.server.port())) {
            page.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(page.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while (!(line = in.readLine()).startsWith(":")) { // headers, then the stream's first comment: it is listening
                assertThat(line).doesNotStartWith("HTTP/1.1 4");
            }
            s.importTiny(files, "heard:now");
            while (!(line = in.readLine()).startsWith("data:")) {
                // comments and the event's name
            }
            assertThat(line).isEqualTo("data: {\"topic\":\"models\"}");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPageHearsAtOnceOfAChangeMadeBetweenItsMakingAndItsListening() throws Exception {
        try (ServerFixture s = ServerFixture.start(home)) {
            String html = s.get("/status").body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"live-stamps\" data-stamps=\"([^\"]+)\"").matcher(html);
            assertThat(m.find()).as("the page records its topics' state").isTrue();
            String stamps = m.group(1);
            s.importTiny(files, "between:two"); // before the page listens
            try (Socket page = new Socket("127.0.0.1", s.server.port())) {
                page.getOutputStream().write(("GET /api/events?since=" + java.net.URLEncoder.encode(stamps, StandardCharsets.UTF_8)
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(new InputStreamReader(page.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while (!(line = in.readLine()).startsWith("data:")) {
                    // headers, comments, the event's name
                }
                assertThat(line).isEqualTo("data: {\"topic\":\"models\"}");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPageThatWentAwayAndAServerThatStopsEndTheStreamWithoutErrors() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServerFixture s = ServerFixture.start(home);
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try (Socket page = new Socket("127.0.0.1", s.server.port())) {
                page.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(new InputStreamReader(page.getInputStream(), StandardCharsets.UTF_8));
                while (!in.readLine().startsWith(":")) {
                    // until it listens
                }
            } // the page goes without a word
            s.close(); // returns once every page's stream has ended: whatever it would write is written by now
            s = null;
        } finally {
            System.setErr(err);
            if (s != null) {
                s.close();
            }
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("Uncaught exception").doesNotContain("threw an error");
    }
}

package hark.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hark model fetch} and {@code ./hark model list} run as a user runs them, against a
 * local stand-in of Hugging Face serving a generated file.
 */
@Timeout(120)
class ModelCommandTest {

    private static final int MODEL_BYTES = 3 * 1024 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    @TempDir
    Path data;

    private final byte[] model = generatedModel();
    private ModelSource source;

    @BeforeEach
    void start() throws IOException {
        source = new ModelSource(model);
    }

    @AfterEach
    void stop() {
        source.close();
    }

    @Test
    void fetchesAModelVerifiesItAndListsIt() throws Exception {
        Run fetch = hark("model", "fetch", "base.en");

        assertThat(fetch.exitCode()).as(fetch.output()).isZero();
        assertThat(fetch.output()).contains("ggml-base.en.bin is in place", "SHA-256 verified");
        assertThat(models().resolve("ggml-base.en.bin")).hasBinaryContent(model);
        assertThat(models().resolve("ggml-base.en.bin.part")).doesNotExist();

        Run list = hark("model", "list");
        assertThat(list.exitCode()).as(list.output()).isZero();
        // base.en is the default model, so the one fetched is the engine's.
        assertThat(list.output())
                .containsPattern("ggml-base\\.en\\.bin +3 MiB +<- the Whisper engine's")
                .contains("The Whisper engine uses " + models().resolve("ggml-base.en.bin"));

        // Fetched again: verified in place, not downloaded again.
        int gets = source.gets().size();
        Run again = hark("model", "fetch", "base.en");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("already in place");
        assertThat(source.gets()).hasSize(gets);
    }

    @Test
    void aWrongPublishedChecksumInstallsNothing() throws Exception {
        String published = sha256("something else".getBytes(StandardCharsets.UTF_8));
        source.publish(published);

        Run fetch = hark("model", "fetch", "tiny");

        assertThat(fetch.exitCode()).as(fetch.output()).isNotZero();
        assertThat(fetch.output()).contains("Checksum mismatch", published, sha256(model));
        assertThat(source.gets()).as("it was downloaded").isNotEmpty();
        assertThat(models().resolve("ggml-tiny.bin")).doesNotExist();
        assertThat(models().resolve("ggml-tiny.bin.part")).doesNotExist();
    }

    @Test
    void aDroppedConnectionIsResumedWhereItBrokeOff() throws Exception {
        source.dropNextDownloads(1);

        Run fetch = hark("model", "fetch", "small.en");

        assertThat(fetch.exitCode()).as(fetch.output()).isZero();
        assertThat(fetch.output()).contains("broke off", "SHA-256 verified");
        assertThat(source.gets()).hasSize(2);
        assertThat(source.gets().get(0))
                .as("the first download starts at the beginning")
                .isEqualTo("");
        Matcher resumed = RANGE.matcher(source.gets().get(1));
        assertThat(resumed.matches())
                .as("the second asks for the rest: %s", source.gets())
                .isTrue();
        assertThat(Long.parseLong(resumed.group(1))).isStrictlyBetween(0L, (long) MODEL_BYTES);
        assertThat(models().resolve("ggml-small.en.bin")).hasBinaryContent(model);
        assertThat(models().resolve("ggml-small.en.bin.part")).doesNotExist();
    }

    @Test
    void aWholePartLeftByAnInterruptedRunIsVerifiedAndInstalled() throws Exception {
        // A run stopped after the download, before the checksum and the move.
        Files.createDirectories(models());
        Files.write(models().resolve("ggml-tiny.en.bin.part"), model);

        Run fetch = hark("model", "fetch", "tiny.en");

        assertThat(fetch.exitCode()).as(fetch.output()).isZero();
        assertThat(fetch.output()).contains("SHA-256 verified");
        assertThat(source.gets()).as("only the end was asked for").containsExactly("bytes=" + MODEL_BYTES + "-");
        assertThat(models().resolve("ggml-tiny.en.bin")).hasBinaryContent(model);
        assertThat(models().resolve("ggml-tiny.en.bin.part")).doesNotExist();
    }

    @Test
    void withoutAPublishedChecksumNothingIsDownloaded() throws Exception {
        source.publish(null);

        Run fetch = hark("model", "fetch", "medium");

        assertThat(fetch.exitCode()).as(fetch.output()).isNotZero();
        assertThat(fetch.output()).contains("No published SHA-256 for ggml-medium.bin");
        assertThat(source.gets()).isEmpty();
        assertThat(models().resolve("ggml-medium.bin")).doesNotExist();
    }

    @Test
    void anUnknownNameIsRefusedWithTheNamesThereAre() throws Exception {
        Run fetch = hark("model", "fetch", "large-v9");

        assertThat(fetch.exitCode()).as(fetch.output()).isEqualTo(2);
        assertThat(fetch.output())
                .contains("Unknown model 'large-v9'")
                .contains("tiny tiny.en base base.en small small.en medium medium.en large-v3-turbo");
        assertThat(source.heads()).isZero();
        assertThat(models()).doesNotExist();
    }

    private Path models() {
        return data.resolve("models");
    }

    private record Run(int exitCode, String output) {}

    /** Runs the {@code hark} script at the repository root with this test's data folder and source. */
    private Run hark(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "../hark"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HARK_DATA", data.toString());
        builder.environment().put("HARK_MODEL_SOURCE", source.url());
        builder.environment().remove("HARK_WHISPER_MODEL");
        // A proxy set in the build's environment must not carry curl's requests to the local server.
        builder.environment().put("no_proxy", "127.0.0.1");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static byte[] generatedModel() {
        byte[] bytes = new byte[MODEL_BYTES];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /**
     * Hugging Face as the script meets it: a resolve URL answers with a redirect to the CDN, the
     * HEAD's redirect carrying the file's SHA-256 as {@code X-Linked-Etag}; the CDN serves the
     * bytes and honours {@code Range}.
     *
     * <p>The JDK's HttpServer rather than WireMock (which Hark's other stand-ins use): WireMock
     * stubs do not answer {@code Range} requests, and its faults close a connection only after
     * garbage or nothing, never after a true part of the body, which is what a dropped download
     * is and what resuming must continue.
     */
    private static final class ModelSource implements AutoCloseable {

        private final byte[] model;
        private final HttpServer server;
        private final List<String> gets = new CopyOnWriteArrayList<>();
        private final AtomicInteger heads = new AtomicInteger();
        private final AtomicInteger drops = new AtomicInteger();
        private volatile String published;

        ModelSource(byte[] model) throws IOException {
            this.model = model;
            try {
                this.published = sha256(model);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/resolve/main/", this::resolve);
            server.createContext("/cdn/", this::cdn);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/resolve/main";
        }

        /** The SHA-256 the HEAD announces; null: none. */
        void publish(String sha256) {
            published = sha256;
        }

        /** The next downloads break off halfway through their body. */
        void dropNextDownloads(int count) {
            drops.set(count);
        }

        /** The Range header of each download from the CDN, "" for none. */
        List<String> gets() {
            return gets;
        }

        int heads() {
            return heads.get();
        }

        private void resolve(HttpExchange exchange) throws IOException {
            String file = exchange.getRequestURI().getPath().substring("/resolve/main/".length());
            if (exchange.getRequestMethod().equals("HEAD")) {
                heads.incrementAndGet();
                if (published != null) {
                    exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + published + "\"");
                }
            }
            exchange.getResponseHeaders().add("Location", "/cdn/" + file + "?signed=yes");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        }

        private void cdn(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(model.length));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            gets.add(range == null ? "" : range);
            int start = 0;
            if (range != null) {
                Matcher matcher = RANGE.matcher(range);
                start = matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
                if (start >= model.length) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + model.length);
                    exchange.sendResponseHeaders(416, -1);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders()
                        .add("Content-Range", "bytes " + start + "-" + (model.length - 1) + "/" + model.length);
            }
            int length = model.length - start;
            exchange.sendResponseHeaders(range == null ? 200 : 206, length);
            OutputStream body = exchange.getResponseBody();
            if (drops.getAndDecrement() > 0) {
                // Half the body, then the connection closes: the server sees fewer bytes than it
                // announced and drops it, as a broken network would.
                body.write(model, start, length / 2);
                body.flush();
                exchange.close();
                return;
            }
            body.write(model, start, length);
            body.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

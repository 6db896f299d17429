package hark.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run started as a newcomer would, with a setting that does not exist: it starts its
 * broker and database, fails, stops them again and ends, the reason its last line.
 */
@Timeout(180)
class LocalRunFailedStartTest {

    // Generous for a loaded machine: the failure itself comes after the first start of the
    // broker and the database (initdb, storage format); a hang never ends.
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aBadSettingStopsWhatTheRunStartedAndEndsItWithTheReasonLast() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("hark.log");
        Process hark = startHark(data, log, Map.of("HARK_ENGINE", "whisper"));
        try {
            assertThat(hark.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the process ended within %s; its output:%n%s", EXIT_LIMIT, output(log))
                    .isTrue();
        } finally {
            stopLeftovers(hark, data);
        }

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String output = String.join("\n", lines);
        assertThat(hark.exitValue()).as(output).isNotZero();
        assertThat(lines.stream().filter(line -> !line.isBlank()).reduce((first, second) -> second))
                .as(output)
                .hasValueSatisfying(last -> assertThat(last)
                        .contains(
                                "HARK_ENGINE=whisper, but there is no Whisper model at "
                                        + data.resolve("models/ggml-base.en.bin"),
                                "./hark model fetch base.en"));
        assertThat(lines)
                .as("a mistake in a setting shows no stack trace")
                .noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by:"));

        // It got as far as starting the database, and stopped it: nothing runs on the data folder.
        assertThat(data.resolve("postgres").resolve("PG_VERSION")).exists();
        assertThat(data.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        assertThat(processesOn(data)).isEmpty();
    }

    private static Process startHark(Path data, Path log, Map<String, String> settings) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Hark.class.getName());
        Map<String, String> env = builder.environment();
        // Everything embedded, as on a laptop, whatever the environment of the build holds.
        for (String name : List.of("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "HARK_JWT_SECRET", "OPENAI_API_KEY")) {
            env.remove(name);
        }
        env.put("HARK_DATA", data.toString());
        env.put("HARK_PORT", String.valueOf(freePort()));
        env.putAll(settings);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** Ends, after a failed assertion, whatever a hung run left: the JVM and its PostgreSQL. */
    private static void stopLeftovers(Process hark, Path data) throws InterruptedException {
        if (hark.isAlive()) {
            hark.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (ProcessHandle leftover : processesOn(data)) {
            leftover.destroyForcibly();
        }
    }

    /** Processes whose command line names the data folder: pg_ctl daemonises PostgreSQL, so it is no child of the run. */
    private static List<ProcessHandle> processesOn(Path data) {
        String folder = data.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info()
                        .commandLine()
                        .map(line -> line.contains(folder))
                        .orElse(false))
                .toList();
    }

    private static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

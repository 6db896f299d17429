package hark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Whisper engine's worker processes under this JVM (the embedded PostgreSQL is a child too). */
public final class WhisperWorkers {

    private WhisperWorkers() {}

    public static List<ProcessHandle> running() {
        return ProcessHandle.current()
                .children()
                .filter(WhisperWorkers::isWorker)
                .toList();
    }

    // Read from /proc (the tests run on Linux): ProcessHandle.Info leaves out a command line as long
    // as a test class path.
    private static boolean isWorker(ProcessHandle process) {
        try {
            return Files.readString(
                            Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
                    .contains("WhisperWorker");
        } catch (IOException gone) {
            return false;
        }
    }

    /** Ends them as a crash would, and waits until they are gone. */
    public static void kill() {
        for (ProcessHandle worker : running()) {
            worker.destroyForcibly();
            worker.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}

package hark.transcribe.engine.whisper;

import hark.platform.storage.Storage;
import hark.transcribe.engine.EngineException;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running {@link WhisperWorker}, seen from the transcribe-service: started with the model
 * loaded, asked for one chunk at a time, and ended (its temporary folder with it) when it fails,
 * hangs or is no longer needed.
 */
final class WorkerProcess implements AutoCloseable {

    private static final String TMP_PREFIX = "hark-whisper-";
    /** Lines of the worker's stderr kept to explain a failure. */
    private static final int KEEP_LINES = 6;

    private final Process process;
    private final Path tmp;
    private final DataOutputStream toWorker;
    private final DataInputStream fromWorker;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private boolean multilingual;

    private WorkerProcess(Process process, Path tmp) {
        this.process = process;
        this.tmp = tmp;
        this.toWorker = new DataOutputStream(process.getOutputStream());
        this.fromWorker = new DataInputStream(process.getInputStream());
        Thread log = new Thread(this::keepLog, "whisper-worker-log-" + process.pid());
        log.setDaemon(true);
        log.start();
    }

    /** Starts a worker and waits until its model is loaded; throws EngineException saying why not. */
    static WorkerProcess start(Path model, int threads, Duration startLimit) {
        Path tmp = null;
        WorkerProcess worker = null;
        try {
            tmp = Files.createTempDirectory(TMP_PREFIX + ProcessHandle.current().pid() + "-");
            worker = new WorkerProcess(new ProcessBuilder(WorkerCommand.of(model, threads, tmp)).start(), tmp);
            WorkerProcess started = worker;
            worker.multilingual = worker.within(startLimit, () -> WorkerProtocol.awaitReady(started.fromWorker));
            return worker;
        } catch (IOException | TimeoutException | RuntimeException e) {
            String reason;
            if (worker == null) {
                reason = String.valueOf(e.getMessage());
            } else if (e instanceof TimeoutException) {
                reason = "it was not loaded within " + startLimit.toSeconds() + " s";
            } else if (e instanceof EOFException) {
                reason = "the worker ended" + worker.exitReason();
            } else {
                reason = String.valueOf(e.getMessage());
            }
            if (worker != null) {
                worker.close();
            } else {
                Storage.deleteTree(tmp);
            }
            throw new EngineException(
                    "The Whisper engine could not load the model " + model.getFileName() + ": " + reason, e);
        }
    }

    /**
     * Temporary folders of workers whose Hark process is gone (killed before it could clear them):
     * each is named after the process that made it.
     */
    static void sweepLeftovers() {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var folders = Files.newDirectoryStream(temp, TMP_PREFIX + "*")) {
            for (Path folder : folders) {
                String[] parts = folder.getFileName().toString().split("-");
                if (parts.length >= 3
                        && parts[2].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[2])).isEmpty()) {
                    Storage.deleteTree(folder);
                }
            }
        } catch (IOException ignored) {
            // a leftover folder costs a few MB of disk until the next start
        }
    }

    boolean multilingual() {
        return multilingual;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The worker's answer for one file, or EngineException; after one, the worker is ended. */
    WorkerProtocol.Result transcribe(WorkerProtocol.Request request, Duration limit) {
        try {
            return within(limit, () -> {
                request.write(toWorker);
                return WorkerProtocol.readAnswer(fromWorker);
            });
        } catch (WorkerProtocol.WorkerRefused refused) {
            throw new EngineException(
                    "Whisper could not transcribe " + fileName(request) + ": " + refused.getMessage());
        } catch (TimeoutException e) {
            close();
            throw new EngineException("Whisper took longer than " + limit.toSeconds() + " s for " + fileName(request)
                    + ", so it was stopped");
        } catch (IOException e) {
            // The worker died under the chunk (a native crash, or killed): what it last said explains it.
            close();
            throw new EngineException(
                    "The Whisper engine stopped while transcribing " + fileName(request) + exitReason());
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // whisper-jni leaves its unpacked libraries (and their folder) in the worker's temp folder.
        Storage.deleteTree(tmp);
    }

    private String exitReason() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String code = process.isAlive() ? "" : " (exit code " + process.exitValue() + ")";
        synchronized (lastLines) {
            return code + (lastLines.isEmpty() ? "" : ": " + String.join("; ", lastLines));
        }
    }

    private void keepLog() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                synchronized (lastLines) {
                    if (lastLines.size() == KEEP_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line.strip());
                }
            }
        } catch (IOException ignored) {
            // the worker is gone; what it said is kept
        }
    }

    private interface Exchange<T> {
        T run() throws IOException;
    }

    /** Runs a blocking exchange with the worker, giving up after {@code limit}. */
    private <T> T within(Duration limit, Exchange<T> exchange) throws IOException, TimeoutException {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        answer.complete(exchange.run());
                    } catch (Throwable e) {
                        answer.completeExceptionally(e);
                    }
                },
                "whisper-worker-" + process.pid());
        thread.setDaemon(true);
        thread.start();
        try {
            return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String fileName(WorkerProtocol.Request request) {
        return String.valueOf(Path.of(request.audio()).getFileName());
    }
}

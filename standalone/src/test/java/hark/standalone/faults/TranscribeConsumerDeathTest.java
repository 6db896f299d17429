package hark.standalone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.testing.FakeTranscriptionApi;
import hark.testing.RecordedRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transcribe-service process dies (SIGKILL) while it has chunks at the transcription API. Its
 * chunks go to the consumers that are left, here the in-process Hark's, and the job completes
 * with every chunk exactly once.
 *
 * <p>The second process is a real one: transcribe-service's own main in a forked JVM on this
 * test's classpath, joined to the same broker, database and data folder. It has its own stand-in
 * of the API that never answers, so whatever chunk it took is mid-call when it dies.
 */
@Timeout(150)
class TranscribeConsumerDeathTest {

    private static final Duration JOB = Duration.ofSeconds(90);
    /** The process's transcribe consumers, as many as the in-process Hark's. */
    private static final int FORKED_CONSUMERS = FaultRig.TRANSCRIBE_CONCURRENCY;

    @TempDir
    Path data;

    @Test
    void aChunkWhoseConsumerDiedMidCallIsTranscribedByAnotherAndTheJobHasEachChunkOnce() throws Exception {
        Set<String> heldByTheDoomed = ConcurrentHashMap.newKeySet();
        CountDownLatch never = new CountDownLatch(1);
        try (FaultRig rig = FaultRig.start(data);
                FakeTranscriptionApi doomedApi = FakeTranscriptionApi.start(FaultRig.API_KEY)
                        .withTranscriber(upload -> {
                            heldByTheDoomed.add(upload.fileName());
                            try {
                                never.await(); // until the test ends: the caller dies first
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            throw new IllegalStateException("the caller of this request was killed");
                        })) {
            rig.startHark();
            Process doomed = forkTranscribeService(rig, doomedApi);
            try {
                // Four consumers in the group, chunks on consecutive partitions dealt round robin:
                // the forked process gets chunks of the job, and so does the in-process Hark.
                rig.awaitTranscribeConsumers(FaultRig.TRANSCRIBE_CONCURRENCY + FORKED_CONSUMERS);
                long node = rig.upload(rig.recording());
                await().atMost(JOB)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> heldByTheDoomed.size() == FORKED_CONSUMERS);

                doomed.destroyForcibly();
                assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();

                rig.assertCompletedWithEachChunkOnce(node, JOB);
                // Redelivered, not lost: the survivors' stand-in transcribed what the dead process held.
                List<String> survivorsTranscribed = rig.api().requests().stream()
                        .filter(r -> r.status() == 200)
                        .map(RecordedRequest::fileName)
                        .toList();
                assertThat(survivorsTranscribed).containsAll(heldByTheDoomed);
            } finally {
                doomed.destroyForcibly();
                never.countDown();
            }
        }
    }

    /**
     * transcribe-service alone, as docker-compose would run a second replica, configured only
     * through its environment variables; its log goes to a file in the data folder.
     */
    private Process forkTranscribeService(FaultRig rig, FakeTranscriptionApi api) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "hark.transcribe.TranscribeServiceApplication",
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--hark.openai.model=whisper-1",
                "--hark.openai.requests-per-minute=0",
                "--hark.transcribe.concurrency=" + FORKED_CONSUMERS,
                // The group must notice the death quickly, as the in-process consumers would.
                "--spring.kafka.consumer.properties.session.timeout.ms=" + FaultRig.SESSION_TIMEOUT_MS,
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=" + FaultRig.SESSION_TIMEOUT_MS / 3);
        Map<String, String> env = builder.environment();
        env.putAll(rig.settings());
        env.put("HARK_DATA", rig.data().toString());
        env.put("HARK_ENGINE", "openai");
        env.put("OPENAI_BASE_URL", api.baseUrl());
        env.put("OPENAI_API_KEY", FaultRig.API_KEY);
        // Hark.run chose the signing key of this data folder; every service must share it.
        env.put("HARK_JWT_SECRET", System.getProperty("HARK_JWT_SECRET"));
        builder.redirectErrorStream(true)
                .redirectOutput(rig.data().resolve("transcribe-service.log").toFile());
        return builder.start();
    }
}

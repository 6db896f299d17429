package hark.standalone.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import hark.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The recovery scenarios with {@code HARK_STORAGE=s3://…} on a real S3 API server (S3Proxy, in this
 * JVM): the replay finds its chunks in the bucket, a cancel removes them there. And what only a
 * bucket can show: the data folder holds no audio and no text at all, only empty scratch.
 */
class BucketRecoveryTest extends RecoveryScenarios {

    private static final String PREFIX = "hark";

    private S3Server s3;
    private S3Client bucket;

    @Override
    void afterHark() {
        bucket.close();
        s3.close();
    }

    /** Starts the server on first use: the scenarios' start asks for the settings first thing. */
    @Override
    Map<String, String> storageSettings() {
        Map<String, String> settings = new HashMap<>(server().environment(PREFIX));
        // The AWS SDK's default chain reads these system properties (a service reads the environment).
        settings.put("aws.accessKeyId", S3Server.ACCESS_KEY);
        settings.put("aws.secretAccessKey", S3Server.SECRET_KEY);
        return settings;
    }

    @Override
    boolean workLeft(UUID job) {
        return !objects("work/" + job + "/").isEmpty();
    }

    @Test
    void aCompletedJobIsInTheBucketAndNothingOfItOnThisProcesssDisk() throws IOException {
        long node = owner.upload(recording);
        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "completed");
        UUID job = owner.job(node);

        assertThat(objects("originals/" + job)).hasSize(1);
        assertThat(objects("texts/" + node + "/" + job + "/"))
                .extracting(S3Object::key)
                .anyMatch(key -> key.endsWith("/transcript.txt"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !workLeft(job));
        Path folder = data.resolve("storage");
        try (Stream<Path> files = Files.walk(folder)) {
            assertThat(files.filter(Files::isRegularFile).toList())
                    .as("files in %s: the stages' scratch is cleared after each job", folder)
                    .isEmpty();
        }
        web.get()
                .uri("/api/nodes/{id}/audio", node)
                .header("Range", "bytes=0-11")
                .exchange()
                .expectStatus()
                .isEqualTo(206)
                .expectBody(byte[].class)
                .value(head -> assertThat(new String(head, 0, 4)).isEqualTo("RIFF"));
    }

    @Test
    void aJobTheEngineRejectsLeavesNoWorkInTheBucket() {
        api.failAll(400);
        long node = owner.upload(recording);
        assertThat(owner.awaitEnd(node, Duration.ofMinutes(2))).containsEntry("status", "failed");
        UUID job = owner.job(node);
        awaitSettled();
        await().atMost(Duration.ofSeconds(30)).until(() -> !workLeft(job));
        assertThat(objects("originals/" + job))
                .as("the recording stays, to retry")
                .hasSize(1);
        assertThat(s3.unfinishedUploads()).isEmpty();
    }

    private S3Server server() {
        if (s3 == null) {
            s3 = S3Server.start();
            bucket = s3.client();
        }
        return s3;
    }

    private List<S3Object> objects(String prefix) {
        return bucket
                .listObjectsV2Paginator(r -> r.bucket(s3.bucket()).prefix(PREFIX + "/" + prefix))
                .contents()
                .stream()
                .toList();
    }
}

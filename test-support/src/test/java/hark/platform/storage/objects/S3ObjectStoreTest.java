package hark.platform.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class S3ObjectStoreTest extends ObjectStoreContract {

    static S3Server server;

    /** Each test has a prefix of its own in the one bucket, so none sees another's objects. */
    String prefix;

    @BeforeAll
    static void startServer() {
        server = S3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    ObjectStore openStore() {
        prefix = "run-" + UUID.randomUUID();
        ObjectStorageProperties props = server.properties(prefix);
        return new S3ObjectStore(
                ObjectStores.client(props.s3(), server.credentials()),
                server.bucket(),
                prefix,
                S3ObjectStore.MIN_PART_SIZE);
    }

    @Override
    int partSize() {
        return S3ObjectStore.MIN_PART_SIZE;
    }

    @Override
    void assertNoUnfinishedUploads() {
        assertThat(server.unfinishedUploads())
                .as("unfinished multipart uploads")
                .filteredOn(u -> u.key().startsWith(prefix + "/"))
                .isEmpty();
    }

    @Override
    void setLastModified(String key, Instant when) {
        server.setLastModified(prefix + "/" + key, when);
    }

    @Override
    void assertMemoryHeldBy(ObjectUpload upload) {
        S3Upload s3 = (S3Upload) upload;
        assertThat(s3.buffered()).isLessThan(partSize());
        assertThat(s3.bufferCapacity()).isLessThanOrEqualTo(partSize());
    }

    @Test
    void theServerSeesTheUnfinishedMultipartUploadUntilItIsAborted() throws IOException {
        ObjectUpload upload = store.upload("originals/big.wav");
        upload.write(bytes(partSize() + 1, 1));

        assertThat(server.unfinishedUploads())
                .anySatisfy(u -> assertThat(u.key()).isEqualTo(prefix + "/originals/big.wav"));

        upload.abort();
        assertNoUnfinishedUploads();
    }

    @Test
    void anAbortOnAnInterruptedThreadStillRemovesTheMultipartUpload() throws IOException {
        ObjectUpload upload = store.upload("originals/left.wav");
        upload.write(bytes(partSize() + 1, 2));

        // What a cancelled request's thread looks like when its upload is aborted.
        Thread.currentThread().interrupt();
        try {
            upload.abort();
            assertThat(Thread.currentThread().isInterrupted())
                    .as("the interrupt is kept")
                    .isTrue();
        } finally {
            Thread.interrupted();
        }
        assertNoUnfinishedUploads();
    }

    @Test
    void objectsLieUnderThePrefixInTheBucket() {
        store.writeSmall("texts/1/job/transcript.txt", new byte[] {1});

        try (S3Client s3 = server.client()) {
            assertThat(s3.headObject(r -> r.bucket(server.bucket()).key(prefix + "/texts/1/job/transcript.txt"))
                            .contentLength())
                    .isEqualTo(1L);
        }
        assertThat(store.location()).isEqualTo("s3://" + server.bucket() + "/" + prefix);
    }

    @Test
    void harkStorageNamingTheBucketOpensIt() {
        try (ObjectStore opened =
                ObjectStores.open(server.properties(prefix), Path.of("unused"), server.credentials())) {
            assertThat(opened).isInstanceOf(S3ObjectStore.class);
            opened.writeSmall("originals/x.wav", new byte[] {4});
            opened.checkReachable();
        }
        assertThat(store.readSmall("originals/x.wav")).hasValue(new byte[] {4});
    }

    @Test
    void aBucketThatCannotBeReachedIsReportedAsSuch() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var props = new ObjectStorageProperties(
                "s3://" + server.bucket(),
                new ObjectStorageProperties.S3("http://127.0.0.1:" + closedPort, null, true));
        try (ObjectStore away = ObjectStores.open(props, Path.of("unused"), server.credentials())) {
            assertThatThrownBy(away::checkReachable)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(server.bucket());
            assertThatThrownBy(() -> away.size("originals/x.wav"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("s3://" + server.bucket());
        }
    }

    @Test
    void aMissingBucketIsUnreachable() {
        var props = new ObjectStorageProperties(
                "s3://no-such-bucket",
                new ObjectStorageProperties.S3(server.endpoint().toString(), null, true));
        try (ObjectStore missing = ObjectStores.open(props, Path.of("unused"), server.credentials())) {
            assertThatThrownBy(missing::checkReachable).isInstanceOf(UncheckedIOException.class);
        }
    }
}

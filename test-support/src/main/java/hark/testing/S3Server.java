package hark.testing;

import hark.platform.storage.Storage;
import hark.platform.storage.objects.ObjectStorageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * A real S3 API server in the test JVM: S3Proxy on a temporary folder, on a free port, with one
 * empty bucket, checking request signatures as S3 does. Starts in about a second. A module whose
 * tests start it depends on {@code org.gaul:s3proxy} and {@code jakarta.servlet:jakarta.servlet-api}
 * (test scope) itself: test-support has them as optional.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "hark-test";
    public static final String SECRET_KEY = "hark-test-secret-key";
    public static final String REGION = "us-east-1";

    private final Path folder;
    private final S3Proxy proxy;
    private final URI endpoint;
    private final String bucket;

    private S3Server(Path folder, S3Proxy proxy, String bucket) {
        this.folder = folder;
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.bucket = bucket;
    }

    /** A server with the bucket {@code hark}. */
    public static S3Server start() {
        return start("hark");
    }

    public static S3Server start(String bucket) {
        Path folder;
        try {
            folder = Files.createTempDirectory("s3server-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(folder.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
            while (!proxy.getState().equals("STARTED")) {
                if (proxy.getState().equals("FAILED")) {
                    throw new IllegalStateException("S3Proxy did not start");
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        S3Server server = new S3Server(folder, proxy, bucket);
        try (S3Client s3 = server.client()) {
            s3.createBucket(r -> r.bucket(bucket));
        }
        return server;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /**
     * The environment of a service that keeps its objects in this server's bucket under
     * {@code prefix}, as a test registers it (credentials go in as an {@link AwsCredentialsProvider}
     * bean: {@link #credentials}).
     */
    public Map<String, String> environment(String prefix) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HARK_STORAGE", "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix));
        env.put("S3_ENDPOINT", endpoint.toString());
        env.put("S3_REGION", REGION);
        env.put("S3_PATH_STYLE", "true");
        return env;
    }

    public ObjectStorageProperties properties(String prefix) {
        return new ObjectStorageProperties(
                environment(prefix).get("HARK_STORAGE"),
                new ObjectStorageProperties.S3(endpoint.toString(), REGION, true));
    }

    /** A client of its own, to look at the bucket behind a store's back; the caller closes it. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(credentials())
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    /** Multipart uploads begun and neither completed nor aborted, in the whole bucket. */
    public List<MultipartUpload> unfinishedUploads() {
        try (S3Client s3 = client()) {
            return s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads().stream()
                    .toList();
        }
    }

    /**
     * Makes an object look as if it was last written at {@code when}, as the sweepers judge age:
     * this server reports a stored file's modification time.
     */
    public void setLastModified(String objectKey, Instant when) {
        try {
            Files.setLastModifiedTime(folder.resolve(bucket).resolve(objectKey), FileTime.from(when));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            deleteTree(folder);
        }
    }

    private static void deleteTree(Path dir) {
        Storage.deleteTree(dir);
    }
}

package hark.platform.storage.objects;

import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Opens the store {@code HARK_STORAGE} names. */
public final class ObjectStores {

    private ObjectStores() {}

    /**
     * @param folder      the storage folder ({@code hark.storage.root}), used when no bucket is named
     * @param credentials for a bucket: the SDK's default chain in a service, fixed keys in tests
     */
    public static ObjectStore open(ObjectStorageProperties props, Path folder, AwsCredentialsProvider credentials) {
        if (props.where() instanceof StorageLocation.Bucket bucket) {
            return new S3ObjectStore(
                    client(props.s3(), credentials), bucket.bucket(), bucket.prefix(), S3ObjectStore.DEFAULT_PART_SIZE);
        }
        return new LocalObjectStore(folder);
    }

    static S3Client client(ObjectStorageProperties.S3 s3, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder())
                // Checksums only where S3 requires them (as before SDK 2.30): the trailing CRC32 the
                // SDK now sends on every upload is not understood by every S3-compatible server.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        if (s3.endpointUri() != null) {
            builder.endpointOverride(s3.endpointUri());
        }
        return builder.build();
    }
}

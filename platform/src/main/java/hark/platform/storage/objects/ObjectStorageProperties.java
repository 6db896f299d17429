package hark.platform.storage.objects;

import hark.platform.startup.ConfigurationMistake;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where audio and transcript texts are kept.
 *
 * @param location {@code HARK_STORAGE}: empty or {@code local} for the storage folder
 *                 ({@code hark.storage.root}); {@code s3://bucket/prefix} for a bucket
 * @param s3       how to reach the bucket; credentials come from the AWS SDK's default chain
 *                 ({@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, a profile, an
 *                 instance role...)
 */
@ConfigurationProperties("hark.object-storage")
public record ObjectStorageProperties(String location, S3 s3) {

    /**
     * @param endpoint  {@code S3_ENDPOINT}: the server's address ({@code http://minio:9000});
     *                  empty for AWS itself, which the region then decides
     * @param region    {@code S3_REGION}: the bucket's region; servers other than AWS mostly ignore it
     * @param pathStyle {@code S3_PATH_STYLE}: {@code http://host/bucket/key} rather than
     *                  {@code http://bucket.host/key}, which MinIO, S3Proxy and most self-hosted
     *                  servers need
     */
    public record S3(String endpoint, String region, boolean pathStyle) {

        public S3 {
            endpoint = endpoint == null ? "" : endpoint.strip();
            region = region == null || region.isBlank() ? "us-east-1" : region.strip();
            if (!endpoint.isEmpty()) {
                endpointUri(endpoint);
            }
        }

        /** The endpoint as an address, or null for AWS's own. */
        public URI endpointUri() {
            return endpoint.isEmpty() ? null : endpointUri(endpoint);
        }

        private static URI endpointUri(String endpoint) {
            try {
                URI uri = new URI(endpoint);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // told below
            }
            throw new ConfigurationMistake(
                    "S3_ENDPOINT '" + endpoint + "': write the server's address, as http://host:port or https://host");
        }
    }

    public ObjectStorageProperties {
        s3 = s3 == null ? new S3(null, null, false) : s3;
        // Read now, so a mistake in HARK_STORAGE stops the start with a message that says so.
        StorageLocation.parse(location);
    }

    public StorageLocation where() {
        return StorageLocation.parse(location);
    }
}

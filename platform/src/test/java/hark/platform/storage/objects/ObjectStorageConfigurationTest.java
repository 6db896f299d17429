package hark.platform.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.startup.ConfigurationMistake;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** HARK_STORAGE and the S3 settings, read from the environment through hark-platform.properties. */
class ObjectStorageConfigurationTest {

    @TempDir
    Path data;

    private ApplicationContextRunner context() {
        return new ApplicationContextRunner()
                .withUserConfiguration(ObjectStorageConfiguration.class)
                .withPropertyValues("HARK_DATA=" + data);
    }

    @Test
    void withoutHarkStorageTheObjectsStayInTheStorageFolder() {
        context().run(context -> {
            assertThat(context).hasNotFailed();
            ObjectStore store = context.getBean(ObjectStore.class);
            assertThat(store).isInstanceOf(LocalObjectStore.class);
            assertThat(store.location())
                    .isEqualTo(data.resolve("storage").toAbsolutePath().toString());
        });
    }

    @Test
    void anS3AddressOpensTheBucketOnTheGivenServer() {
        context()
                .withPropertyValues(
                        "HARK_STORAGE=s3://hark-audio/prod", "S3_ENDPOINT=http://minio:9000", "S3_PATH_STYLE=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ObjectStore.class).location()).isEqualTo("s3://hark-audio/prod");
                    var s3 = context.getBean(ObjectStorageProperties.class).s3();
                    assertThat(s3.region()).isEqualTo("us-east-1");
                    assertThat(s3.pathStyle()).isTrue();
                    assertThat(s3.endpointUri()).hasHost("minio").hasPort(9000);
                });
    }

    @Test
    void aBadHarkStorageStopsTheStartWithItsOwnMessage() {
        context()
                .withPropertyValues("HARK_STORAGE=ftp://x")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(ConfigurationMistake.class)
                        .hasMessageStartingWith("HARK_STORAGE 'ftp://x'"));
    }

    @Test
    void aBadEndpointStopsTheStartWithItsOwnMessage() {
        context()
                .withPropertyValues("HARK_STORAGE=s3://hark", "S3_ENDPOINT=minio:9000")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(ConfigurationMistake.class)
                        .hasMessageStartingWith("S3_ENDPOINT 'minio:9000'"));
    }
}

package hark.platform.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hark.platform.startup.ConfigurationMistake;
import org.junit.jupiter.api.Test;

class StorageLocationTest {

    @Test
    void nothingOrLocalIsTheFolder() {
        assertThat(StorageLocation.parse(null)).isEqualTo(new StorageLocation.Folder());
        assertThat(StorageLocation.parse("")).isEqualTo(new StorageLocation.Folder());
        assertThat(StorageLocation.parse("  ")).isEqualTo(new StorageLocation.Folder());
        assertThat(StorageLocation.parse("LOCAL")).isEqualTo(new StorageLocation.Folder());
    }

    @Test
    void anS3AddressNamesABucketAndAPrefix() {
        assertThat(StorageLocation.parse("s3://hark")).isEqualTo(new StorageLocation.Bucket("hark", ""));
        assertThat(StorageLocation.parse("s3://hark/")).isEqualTo(new StorageLocation.Bucket("hark", ""));
        assertThat(StorageLocation.parse("s3://hark-audio.eu/prod/hark/"))
                .isEqualTo(new StorageLocation.Bucket("hark-audio.eu", "prod/hark"));
        assertThat(StorageLocation.parse(" S3://hark/p ")).isEqualTo(new StorageLocation.Bucket("hark", "p"));
    }

    @Test
    void anS3AddressWithoutABucketIsAMistake() {
        assertThatThrownBy(() -> StorageLocation.parse("s3://"))
                .isInstanceOf(ConfigurationMistake.class)
                .hasMessage("HARK_STORAGE 's3://' names no bucket: write s3://bucket or s3://bucket/prefix");
        assertThatThrownBy(() -> StorageLocation.parse("s3:///prefix"))
                .isInstanceOf(ConfigurationMistake.class)
                .hasMessageContaining("names no bucket");
    }

    @Test
    void anotherSchemeIsAMistake() {
        assertThatThrownBy(() -> StorageLocation.parse("ftp://x"))
                .isInstanceOf(ConfigurationMistake.class)
                .hasMessage("HARK_STORAGE 'ftp://x': leave it empty (or write local) to keep audio in the folder"
                        + " under HARK_DATA, or write s3://bucket/prefix to keep it in a bucket");
        assertThatThrownBy(() -> StorageLocation.parse("/data/storage")).isInstanceOf(ConfigurationMistake.class);
        assertThatThrownBy(() -> StorageLocation.parse("s3")).isInstanceOf(ConfigurationMistake.class);
    }

    @Test
    void aBucketNameS3WouldRefuseIsAMistake() {
        for (String value : new String[] {"s3://My_Bucket", "s3://ab", "s3://-hark", "s3://a..b"}) {
            assertThatThrownBy(() -> StorageLocation.parse(value))
                    .as(value)
                    .isInstanceOf(ConfigurationMistake.class)
                    .hasMessageContaining("is not a bucket name");
        }
    }

    @Test
    void aPrefixThatClimbsOutIsAMistake() {
        for (String value : new String[] {"s3://hark/../x", "s3://hark/a//b", "s3://hark/a b", "s3://hark/.x"}) {
            assertThatThrownBy(() -> StorageLocation.parse(value))
                    .as(value)
                    .isInstanceOf(ConfigurationMistake.class)
                    .hasMessageContaining("the prefix");
        }
    }
}

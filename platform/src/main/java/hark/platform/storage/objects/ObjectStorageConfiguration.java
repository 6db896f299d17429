package hark.platform.storage.objects;

import hark.platform.storage.StorageProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** The {@link ObjectStore} {@code HARK_STORAGE} names; imported by {@code PlatformConfiguration}. */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:hark-platform.properties")
@EnableConfigurationProperties({ObjectStorageProperties.class, StorageProperties.class})
public class ObjectStorageConfiguration {

    /** Tests give fixed keys as a bean; a service leaves it to the SDK's default chain. */
    @Bean(destroyMethod = "close")
    ObjectStore objectStore(
            ObjectStorageProperties props,
            StorageProperties storage,
            ObjectProvider<AwsCredentialsProvider> credentials) {
        return ObjectStores.open(
                props,
                storage.root(),
                credentials.getIfAvailable(
                        () -> DefaultCredentialsProvider.builder().build()));
    }
}

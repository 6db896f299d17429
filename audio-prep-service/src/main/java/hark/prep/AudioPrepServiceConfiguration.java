package hark.prep;

import hark.platform.PlatformConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/** Everything audio-prep-service is; its own main and the all-in-one process both import this. */
@Configuration(proxyBeanMethods = false)
@Import(PlatformConfiguration.class)
@PropertySource("classpath:hark-prep.properties")
@EnableConfigurationProperties(PrepProperties.class)
@ComponentScan(excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class AudioPrepServiceConfiguration {
}

package hark.status;

import hark.platform.PlatformConfiguration;
import hark.platform.db.ServiceSchema;
import hark.platform.web.ApiErrors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/** Everything status-service is; its own main and the all-in-one process both import this. */
@Configuration(proxyBeanMethods = false)
@Import({PlatformConfiguration.class, ApiErrors.class})
@ComponentScan(excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class))
public class StatusServiceConfiguration {

    public static final ServiceSchema SCHEMA = new ServiceSchema("status", false, true);

    @Bean
    ServiceSchema statusSchema() {
        return SCHEMA;
    }
}

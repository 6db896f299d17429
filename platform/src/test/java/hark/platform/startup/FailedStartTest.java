package hark.platform.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class FailedStartTest {

    @Test
    void aMistakeInASettingIsToldByItsOwnMessageOnOneLine() {
        var failure = new BeanCreationException(
                "Error creating bean with name 'engine'",
                new ConfigurationMistake("HARK_ENGINE 'x':\n  use auto or sphinx"));

        assertThat(FailedStart.reason(failure)).isEqualTo("HARK_ENGINE 'x': use auto or sphinx");
    }

    @Test
    void aValueSpringCannotBindIsToldWithItsProperty() {
        var binder = new Binder(new MapConfigurationPropertySource(Map.of("hark.some.count", "many")));

        assertThatThrownBy(() -> binder.bind("hark.some.count", Integer.class))
                .satisfies(failure -> assertThat(FailedStart.reason(failure))
                        .contains("hark.some.count")
                        .contains("'many'")
                        .doesNotContain("\n"));
    }

    @Test
    void anythingElseIsToldAsItsRootCause() {
        var failure = new IllegalStateException(
                "Failed to start bean 'x'", new UncheckedIOException(new IOException("No space left on device")));

        assertThat(FailedStart.reason(failure)).isEqualTo("IOException: No space left on device");
    }

    @Test
    void springBootReportsAMistakeInABeanWithoutAStackTrace(CapturedOutput output) {
        assertThatThrownBy(() -> start(FailingBean.class)).isInstanceOf(BeanCreationException.class);

        assertThat(output)
                .contains("APPLICATION FAILED TO START", "HARK_SOMETHING 'x': use y or z", "Correct that setting")
                .doesNotContain("\tat ");
    }

    @Test
    void aMistakeFoundWhileBindingIsReportedAsItselfNotAsABindingFailure(CapturedOutput output) {
        System.setProperty("hark.failing.mode", "x");
        try {
            assertThatThrownBy(() -> start(FailingProperties.Config.class));
        } finally {
            System.clearProperty("hark.failing.mode");
        }

        assertThat(output)
                .contains("HARK_MODE 'x': use y or z", "Correct that setting")
                .doesNotContain("\tat ");
    }

    private static void start(Class<?> configuration) {
        SpringApplication application = new SpringApplication(configuration);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        application.run("--spring.main.banner-mode=off");
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingBean {

        @Bean
        String engine() {
            throw new ConfigurationMistake("HARK_SOMETHING 'x': use y or z");
        }
    }

    @ConfigurationProperties("hark.failing")
    record FailingProperties(String mode) {

        FailingProperties {
            if (mode != null && !mode.equals("y")) {
                throw new ConfigurationMistake("HARK_MODE '" + mode + "': use y or z");
            }
        }

        @Configuration(proxyBeanMethods = false)
        @EnableConfigurationProperties(FailingProperties.class)
        static class Config {}
    }
}

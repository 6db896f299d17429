package hark.platform.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Spring Boot reports a start that failed on a {@link ConfigurationMistake} with its message
 * instead of a stack trace. First in line, so that a mistake found while binding properties is
 * told as itself rather than as a binding failure.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConfigurationMistakeAnalyzer extends AbstractFailureAnalyzer<ConfigurationMistake> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationMistake cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct that setting and start again.", cause);
    }
}

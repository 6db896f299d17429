package hark.platform.startup;

/**
 * A setting the operator got wrong, found at start. Its message names the setting as the operator
 * wrote it (the environment variable) and says what would be right; it is all a failed start
 * shows of it: no stack trace, which would only bury the one line that matters.
 */
public class ConfigurationMistake extends RuntimeException {

    public ConfigurationMistake(String message) {
        super(message);
    }

    public ConfigurationMistake(String message, Throwable cause) {
        super(message, cause);
    }
}

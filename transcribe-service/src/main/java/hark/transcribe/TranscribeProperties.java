package hark.transcribe;

import hark.platform.startup.ConfigurationMistake;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param engine      {@code auto} or an engine's name ({@code sphinx})
 * @param concurrency chunks transcribed at once in this process
 * @param priorityUsers {@code HARK_PRIORITY_USERS}: {@code name:weight} pairs, comma-separated
 *                    ({@code ada:3,bob:2}); a user of weight 3 gets three chunks in flight for each
 *                    one of a user of weight 1 (the default) while both have chunks waiting
 */
@ConfigurationProperties("hark.transcribe")
public record TranscribeProperties(String engine, int concurrency, List<String> priorityUsers) {

    /** The weights, each checked: a user name, a colon, a whole number of 1 or more. */
    public Map<String, Integer> priorities() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String pair : priorityUsers == null ? List.<String>of() : priorityUsers) {
            String[] parts = pair.strip().split(":");
            if (pair.isBlank()) {
                continue;
            }
            if (parts.length != 2 || !parts[1].strip().matches("[1-9][0-9]{0,3}")) {
                throw new ConfigurationMistake("HARK_PRIORITY_USERS '" + pair + "': write name:weight, such as ada:3");
            }
            weights.put(parts[0].strip(), Integer.parseInt(parts[1].strip()));
        }
        return weights;
    }
}

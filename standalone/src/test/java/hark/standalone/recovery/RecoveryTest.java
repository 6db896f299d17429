package hark.standalone.recovery;

import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

/** The recovery scenarios on the data folder, as {@code ./hark up} keeps audio. */
class RecoveryTest extends RecoveryScenarios {

    @Override
    Map<String, String> variantSettings() {
        return Map.of();
    }

    @Override
    boolean workLeft(UUID job) {
        return Files.exists(data.resolve("storage/work").resolve(job.toString()));
    }
}

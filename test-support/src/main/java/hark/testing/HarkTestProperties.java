package hark.testing;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a service under test at a real embedded broker, a database of its own and a storage folder. */
public final class HarkTestProperties {

    /** More than the other topics, as in production: chunks of one job transcribe side by side. */
    public static final int CHUNK_PARTITIONS = 6;

    private HarkTestProperties() {}

    public static void register(
            DynamicPropertyRegistry registry, TestDatabase db, String bootstrapServers, Path storage) {
        registry.add("DATABASE_URL", db::url);
        registry.add("DATABASE_USER", db::user);
        registry.add("DATABASE_PASSWORD", db::password);
        registry.add("KAFKA_BOOTSTRAP_SERVERS", () -> bootstrapServers);
        registry.add("hark.storage.root", storage::toString);
        registry.add("HARK_JWT_SECRET", () -> TestTokens.SECRET);
        registry.add("hark.kafka.partitions", () -> "3");
        registry.add("hark.kafka.chunk-partitions", () -> String.valueOf(CHUNK_PARTITIONS));
    }
}

package hark.testing;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.nio.file.Path;

/** Points a service under test at a real embedded broker, a database of its own and a storage folder. */
public final class HarkTestProperties {

    private HarkTestProperties() {
    }

    public static void register(DynamicPropertyRegistry registry, TestDatabase db, String bootstrapServers,
                                Path storage) {
        registry.add("DATABASE_URL", db::url);
        registry.add("DATABASE_USER", db::user);
        registry.add("DATABASE_PASSWORD", db::password);
        registry.add("KAFKA_BOOTSTRAP_SERVERS", () -> bootstrapServers);
        registry.add("hark.storage.root", storage::toString);
        registry.add("hark.kafka.partitions", () -> "3");
    }
}

package hark.standalone.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@Timeout(120)
class LocalInfrastructureTest {

    private static final String TOPIC = "restart-probe";

    @TempDir
    Path dir;

    @BeforeAll
    static void quietInfrastructureLogs() {
        // Without a logback config every Kafka DEBUG line would reach the console.
        for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger", "io.zonky")) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
        }
    }

    @Test
    void kafkaKeepsRecordsAcrossRestart() throws Exception {
        Path kafkaDir = dir.resolve("kafka");

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, 0)) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            broker.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, "job-1", "in flight")).get();
            }
        }

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, 0)) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains(TOPIC);
            }
            assertThat(consumeAll(broker.bootstrapServers()))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("job-1", "in flight"));
        }
    }

    @Test
    void postgresKeepsRowsAcrossRestart() throws Exception {
        Path pgDir = dir.resolve("postgres");

        try (LocalPostgres postgres = LocalPostgres.start(pgDir, 0);
                Connection connection = connect(postgres);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE job (id text PRIMARY KEY)");
            statement.execute("INSERT INTO job VALUES ('job-1')");
        }

        try (LocalPostgres postgres = LocalPostgres.start(pgDir, 0);
                Connection connection = connect(postgres);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM job")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("id")).isEqualTo("job-1");
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void postgresTakesConnectionsOnlyWithItsOwnersSecretPassword() throws Exception {
        Path pgDir = dir.resolve("postgres");

        try (LocalPostgres postgres = LocalPostgres.start(pgDir, 0)) {
            assertThat(postgres.password()).hasSizeGreaterThan(30).isNotEqualTo("postgres");
            assertThat(Files.readString(dir.resolve("postgres-password")).strip())
                    .isEqualTo(postgres.password());
            assertThat(Files.getPosixFilePermissions(dir.resolve("postgres-password")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "postgres"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            try (Connection connection = connect(postgres)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    /** A data folder from before passwords: its cluster trusted everyone, and is closed at the next start. */
    @Test
    void aClusterThatTrustedEveryoneGetsAPasswordAtItsNextStart() throws Exception {
        Path pgDir = dir.resolve("postgres");
        try (var trusting = EmbeddedPostgres.builder()
                .setDataDirectory(pgDir)
                .setCleanDataDirectory(false)
                .start()) {
            assertThat(trusting.getPort()).isPositive();
        }

        try (LocalPostgres postgres = LocalPostgres.start(pgDir, 0)) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "anything"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            try (Connection connection = connect(postgres)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    private static List<ConsumerRecord<String, String>> consumeAll(String bootstrapServers) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG, "restart-probe-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(Set.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }
}

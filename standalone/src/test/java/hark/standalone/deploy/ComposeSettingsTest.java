package hark.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compose file against the services' own settings: each service gets what it cannot run
 * without, every variable given to a service is one it reads (a misspelt name would be silently
 * ignored), and what several services must agree on is the same in each.
 */
class ComposeSettingsTest {

    /** The operator's shell: only what the compose file demands. */
    private static final Map<String, String> SHELL = Map.of(
            "HARK_JWT_SECRET",
            "a-key-the-operator-made-for-this-run",
            "HARK_ADMIN_PASSWORD",
            "only the operator knows this",
            "KAFKA_UI_PASSWORD",
            "and this one");

    /** Each service reads the platform's settings and its own (the files its configuration imports). */
    private static final Map<String, List<String>> SETTINGS_FILES = Map.of(
            "upload-service", List.of("hark-platform.properties", "hark-upload.properties"),
            "audio-prep-service", List.of("hark-platform.properties", "hark-prep.properties"),
            "transcribe-service", List.of("hark-platform.properties", "hark-transcribe.properties"),
            "status-service", List.of("hark-platform.properties", "hark-status.properties"));

    /** Read by the image's entrypoint, not by Hark. */
    private static final Set<String> FOR_THE_IMAGE = Set.of("JAVA_OPTS");

    /** Defaults that only suit a laptop (localhost, ./data): a deployment must set them. */
    private static final Set<String> EVERY_SERVICE_NEEDS =
            Set.of("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "HARK_DATA");

    /** Both sign or check tokens; without a key they refuse to start. */
    private static final Set<String> TOKEN_SERVICES = Set.of("upload-service", "status-service");

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private final ComposeFile compose = ComposeFile.read(SHELL);

    @Test
    void everyServiceGetsWhatItCannotRunWithout() {
        for (String service : SETTINGS_FILES.keySet()) {
            Map<String, String> env = compose.environment(service);
            assertThat(env).as(service).containsKeys(EVERY_SERVICE_NEEDS.toArray(String[]::new));
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as(service).isEqualTo("kafka:9092");
            assertThat(env.get("DATABASE_URL")).as(service).startsWith("postgresql://postgres:5432/");
            if (TOKEN_SERVICES.contains(service)) {
                assertThat(env.get("HARK_JWT_SECRET")).as(service).isEqualTo(SHELL.get("HARK_JWT_SECRET"));
            }
        }
    }

    @Test
    void withoutASigningKeyComposeRefusesToStartRatherThanUseADefaultOne() {
        ComposeFile unset = ComposeFile.read(Map.of());
        for (String service : TOKEN_SERVICES) {
            assertThatThrownBy(() -> unset.environment(service)).hasMessageContaining("HARK_JWT_SECRET");
        }
    }

    /** Tried as a stranger would: no open door, no admin name to claim, no UI for everyone. */
    @Test
    @SuppressWarnings("unchecked")
    void theDeploymentTakesNoStrangersAndItsAdminPasswordIsTheOperatorsOwn() {
        Map<String, String> upload = compose.environment("upload-service");
        assertThat(upload)
                .containsEntry("HARK_SIGNUP", "closed")
                .containsEntry("HARK_ADMIN_PASSWORD", SHELL.get("HARK_ADMIN_PASSWORD"));
        assertThatThrownBy(
                        () -> ComposeFile.read(Map.of("HARK_JWT_SECRET", "k")).environment("upload-service"))
                .hasMessageContaining("HARK_ADMIN_PASSWORD");
        assertThat((List<String>) compose.service("kafka-ui").get("ports"))
                .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        assertThat(compose.environment("kafka-ui"))
                .containsEntry("AUTH_TYPE", "LOGIN_FORM")
                .containsKey("SPRING_SECURITY_USER_PASSWORD");
    }

    @Test
    void everySettingGivenToAServiceIsOneThatServiceReads() {
        for (var entry : SETTINGS_FILES.entrySet()) {
            Set<String> reads = readBy(entry.getValue());
            Set<String> given =
                    new TreeSet<>(compose.environment(entry.getKey()).keySet());
            given.removeAll(FOR_THE_IMAGE);
            assertThat(reads).as(entry.getKey() + " reads all it is given").containsAll(given);
        }
    }

    @Test
    void whatServicesMustAgreeOnIsTheSameInEach() {
        // The topic layout and where the broker, database and audio are: every service.
        agree(
                SETTINGS_FILES.keySet(),
                "KAFKA_BOOTSTRAP_SERVERS",
                "DATABASE_URL",
                "DATABASE_USER",
                "DATABASE_PASSWORD",
                "HARK_DATA",
                "HARK_PARTITIONS",
                "HARK_CHUNK_PARTITIONS",
                "HARK_REPLICATION",
                "HARK_GROUP_PREFIX",
                "HARK_EVENT_RETENTION",
                "HARK_DEAD_LETTER_RETENTION");
        // Prep shapes the audio for the engine transcribe uses; `auto` decides by the key.
        agree(Set.of("audio-prep-service", "transcribe-service"), "HARK_ENGINE", "OPENAI_API_KEY");
        agree(TOKEN_SERVICES, "HARK_JWT_SECRET", "HARK_FORWARD_HEADERS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesStartOnceKafkaAndPostgresAreHealthyShareTheAudioAndReportTheirHealth() {
        for (String service : SETTINGS_FILES.keySet()) {
            Map<String, Object> spec = compose.service(service);
            Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) spec.get("depends_on");
            assertThat(dependsOn).as(service).containsOnlyKeys("kafka", "postgres");
            dependsOn.values().forEach(d -> assertThat(d).containsEntry("condition", "service_healthy"));
            String dataDir = compose.environment(service).get("HARK_DATA");
            assertThat((List<String>) spec.get("volumes")).as(service).contains("hark-data:" + dataDir);
            assertThat(String.valueOf(((Map<String, Object>) spec.get("healthcheck")).get("test")))
                    .as(service)
                    .contains("/actuator/health");
            assertThat(spec)
                    .as(service + " has no host port, so it can be scaled")
                    .doesNotContainKey("ports");
            assertThat((Map<String, Object>) spec.get("build"))
                    .as(service)
                    .containsEntry("args", Map.of("SERVICE", service));
        }
        for (String infrastructure : List.of("kafka", "postgres")) {
            assertThat(compose.service(infrastructure)).as(infrastructure).containsKey("healthcheck");
        }
        assertThat((List<String>) compose.service("kafka-ui").get("profiles")).containsExactly("ui");
    }

    private void agree(Set<String> services, String... settings) {
        for (String setting : settings) {
            Set<String> values = new TreeSet<>();
            for (String service : services) {
                String value = compose.environment(service).get(setting);
                assertThat(value).as(setting + " in " + service).isNotNull();
                values.add(value);
            }
            assertThat(values).as(setting + " across " + services).hasSize(1);
        }
    }

    /** The environment variables a service's settings files refer to. */
    private static Set<String> readBy(List<String> files) {
        Set<String> names = new TreeSet<>();
        for (String file : files) {
            try (InputStream in = ComposeSettingsTest.class.getResourceAsStream("/" + file)) {
                assertThat(in).as(file).isNotNull();
                Matcher m = ENV_REFERENCE.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    names.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }
}

package hark.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
 * ignored), and what several services must agree on is the same in each. And against the shape
 * of a deployment that scales out: audio in a bucket that compose creates, nothing shared on disk.
 */
class ComposeSettingsTest {

    /** The operator's shell: only what the compose file demands. */
    private static final Map<String, String> SHELL = Map.of(
            "HARK_JWT_SECRET",
            "a-key-the-operator-made-for-this-run",
            "HARK_ADMIN_PASSWORD",
            "only the operator knows this",
            "KAFKA_UI_PASSWORD",
            "and this one",
            "MINIO_ROOT_PASSWORD",
            "the bucket's key");

    /** Each service reads the platform's settings and its own (the files its configuration imports). */
    private static final Map<String, List<String>> SETTINGS_FILES = Map.of(
            "upload-service", List.of("hark-platform.properties", "hark-upload.properties"),
            "audio-prep-service", List.of("hark-platform.properties", "hark-prep.properties"),
            "transcribe-service", List.of("hark-platform.properties", "hark-transcribe.properties"),
            "status-service", List.of("hark-platform.properties", "hark-status.properties"));

    /** Read by the image's entrypoint, not by Hark. */
    private static final Set<String> FOR_THE_IMAGE = Set.of("JAVA_OPTS");

    /** Read by the AWS SDK's default credentials chain, not by Hark's settings files. */
    private static final Set<String> FOR_THE_AWS_SDK = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

    /** Defaults that only suit a laptop (localhost, ./data): a deployment must set them. */
    private static final Set<String> EVERY_SERVICE_NEEDS = Set.of(
            "KAFKA_BOOTSTRAP_SERVERS",
            "DATABASE_URL",
            "DATABASE_USER",
            "DATABASE_PASSWORD",
            "HARK_DATA",
            "HARK_STORAGE",
            "S3_ENDPOINT",
            "S3_PATH_STYLE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY");

    /** Services that are not Hark's and keep their own data on a volume of their own. */
    private static final Map<String, String> INFRASTRUCTURE_VOLUMES =
            Map.of("kafka", "kafka-data", "postgres", "postgres-data", "minio", "minio-data");

    private static final String OBJECT_STORE = "minio";
    private static final String BUCKET_MAKER = "minio-bucket";

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
        ComposeFile unset = ComposeFile.read(shellWithout("HARK_JWT_SECRET"));
        for (String service : TOKEN_SERVICES) {
            assertThatThrownBy(() -> unset.environment(service)).hasMessageContaining("HARK_JWT_SECRET");
        }
    }

    /** Every recording is in the bucket: its key is the operator's, never one written in this file. */
    @Test
    void withoutTheBucketsKeyComposeRefusesToStartRatherThanUseADefaultOne() {
        ComposeFile unset = ComposeFile.read(shellWithout("MINIO_ROOT_PASSWORD"));
        List<String> holders = new ArrayList<>(SETTINGS_FILES.keySet());
        holders.addAll(List.of(OBJECT_STORE, BUCKET_MAKER));
        for (String service : holders) {
            assertThatThrownBy(() -> unset.environment(service))
                    .as(service)
                    .hasMessageContaining("MINIO_ROOT_PASSWORD");
        }
    }

    /**
     * Each Hark service keeps audio and texts in a bucket on the compose file's own S3 server, with
     * that server's credentials; a bucket-making service creates the bucket the services name.
     */
    @Test
    @SuppressWarnings("unchecked")
    void audioLivesInABucketOnTheComposeFilesOwnObjectStore() {
        assertThat(compose.services()).containsKeys(OBJECT_STORE, BUCKET_MAKER);
        Map<String, Object> minio = compose.service(OBJECT_STORE);
        assertThat(String.valueOf(minio.get("image"))).as("a pinned MinIO").contains("minio/minio:RELEASE.");
        assertThat(compose.mounts(OBJECT_STORE)).containsExactly("minio-data:/data");
        assertThat(minio).as("reached by the services only").doesNotContainKey("ports");
        assertThat(String.valueOf(((Map<String, Object>) minio.get("healthcheck")).get("test")))
                .contains("mc", "ready", "local");
        Map<String, String> server = compose.environment(OBJECT_STORE);
        assertThat(server.get("MINIO_ROOT_PASSWORD")).isEqualTo(SHELL.get("MINIO_ROOT_PASSWORD"));

        Map<String, Object> maker = compose.service(BUCKET_MAKER);
        assertThat(String.valueOf(maker.get("image"))).as("a pinned mc").contains("minio/mc:RELEASE.");
        assertThat(String.valueOf(maker.get("restart"))).as("runs once").isEqualTo("no");
        assertThat((Map<String, Map<String, String>>) maker.get("depends_on"))
                .containsOnlyKeys(OBJECT_STORE)
                .containsEntry(OBJECT_STORE, Map.of("condition", "service_healthy"));
        String script = String.join(" ", (List<String>) maker.get("entrypoint"));
        assertThat(script)
                .contains("mc alias set hark http://minio:9000 \"$$MINIO_ROOT_USER\" \"$$MINIO_ROOT_PASSWORD\"")
                .contains("mc mb --ignore-existing \"hark/$$HARK_BUCKET\"");
        Map<String, String> makerEnv = compose.environment(BUCKET_MAKER);
        assertThat(makerEnv)
                .containsEntry("MINIO_ROOT_USER", server.get("MINIO_ROOT_USER"))
                .containsEntry("MINIO_ROOT_PASSWORD", server.get("MINIO_ROOT_PASSWORD"));

        for (String service : SETTINGS_FILES.keySet()) {
            Map<String, String> env = compose.environment(service);
            assertThat(env.get("HARK_STORAGE")).as(service).startsWith("s3://");
            assertThat(bucketOf(env.get("HARK_STORAGE"))).as(service).isEqualTo(makerEnv.get("HARK_BUCKET"));
            assertThat(env)
                    .as(service)
                    .containsEntry("S3_ENDPOINT", "http://minio:9000")
                    .containsEntry("S3_PATH_STYLE", "true")
                    .containsEntry("AWS_ACCESS_KEY_ID", server.get("MINIO_ROOT_USER"))
                    .containsEntry("AWS_SECRET_ACCESS_KEY", server.get("MINIO_ROOT_PASSWORD"));
        }
        Map<String, String> otherBucket = new HashMap<>(SHELL);
        otherBucket.put("HARK_BUCKET", "recordings");
        ComposeFile renamed = ComposeFile.read(otherBucket);
        assertThat(renamed.environment(BUCKET_MAKER)).containsEntry("HARK_BUCKET", "recordings");
        assertThat(renamed.environment("transcribe-service").get("HARK_STORAGE"))
                .startsWith("s3://recordings/");
    }

    /**
     * What lets a stage run on any host and be scaled with --scale alone: no named volume (nor any
     * writable mount) shared between services, each container's storage folder its own scratch.
     */
    @Test
    void noServiceSharesAVolumeForAudio() {
        assertThat(compose.namedVolumes()).containsOnlyKeys(INFRASTRUCTURE_VOLUMES.values());
        for (String service : compose.services().keySet()) {
            String own = INFRASTRUCTURE_VOLUMES.get(service);
            for (String mount : compose.mounts(service)) {
                String source = mount.split(":", 2)[0];
                if (compose.namedVolumes().containsKey(source)) {
                    assertThat(source)
                            .as(service + " mounts a named volume: " + mount)
                            .isEqualTo(own);
                }
            }
        }
        for (String service : SETTINGS_FILES.keySet()) {
            String storage = compose.environment(service).get("HARK_DATA") + "/storage";
            for (String mount : compose.mounts(service)) {
                String[] parts = mount.split(":");
                assertThat(parts).as(service + ": " + mount + " is read-only").hasSize(3);
                assertThat(parts[2]).as(service + ": " + mount).isEqualTo("ro");
                assertThat(storage.startsWith(parts[1] + "/") || (parts[1] + "/").startsWith(storage + "/"))
                        .as(service + ": " + mount + " covers no part of the storage folder")
                        .isFalse();
            }
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
        assertThatThrownBy(() ->
                        ComposeFile.read(shellWithout("HARK_ADMIN_PASSWORD")).environment("upload-service"))
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
            given.removeAll(FOR_THE_AWS_SDK);
            assertThat(reads).as(entry.getKey() + " reads all it is given").containsAll(given);
        }
    }

    @Test
    void whatServicesMustAgreeOnIsTheSameInEach() {
        // The topic layout and where the broker, database and audio are: every service. (HARK_DATA
        // need not agree: with a bucket it is each container's own scratch.)
        agree(
                SETTINGS_FILES.keySet(),
                "KAFKA_BOOTSTRAP_SERVERS",
                "DATABASE_URL",
                "DATABASE_USER",
                "DATABASE_PASSWORD",
                "HARK_STORAGE",
                "S3_ENDPOINT",
                "S3_PATH_STYLE",
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
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
    void servicesStartOnceKafkaPostgresAndTheBucketAreReadyAndReportTheirHealth() {
        for (String service : SETTINGS_FILES.keySet()) {
            Map<String, Object> spec = compose.service(service);
            Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) spec.get("depends_on");
            assertThat(dependsOn).as(service).containsOnlyKeys("kafka", "postgres", OBJECT_STORE, BUCKET_MAKER);
            dependsOn.forEach((on, d) -> assertThat(d)
                    .as(service + " on " + on)
                    .containsEntry(
                            "condition",
                            on.equals(BUCKET_MAKER) ? "service_completed_successfully" : "service_healthy"));
            assertThat(spec)
                    .as(service + " has no fixed container name, so it can be scaled")
                    .doesNotContainKey("container_name");
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
        for (String infrastructure : List.of("kafka", "postgres", OBJECT_STORE)) {
            assertThat(compose.service(infrastructure)).as(infrastructure).containsKey("healthcheck");
        }
        assertThat((List<String>) compose.service("kafka-ui").get("profiles")).containsExactly("ui");
    }

    /** The bucket of {@code s3://bucket/prefix}. */
    private static String bucketOf(String location) {
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** The operator's shell with one of the demanded variables left unset. */
    private static Map<String, String> shellWithout(String name) {
        Map<String, String> shell = new HashMap<>(SHELL);
        shell.remove(name);
        return shell;
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

package hark.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Holds the records and their JSON Schemas together, in both directions. */
class EventContractTest {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventCodec codec = new EventCodec();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyRecordSerializesToADocumentItsSchemaAccepts(EventType type) {
        String json = new String(codec.encode(SampleEvents.of(type)), StandardCharsets.UTF_8);

        assertThat(errors(type, json)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaAndRecordNameTheSameFields(EventType type) {
        JsonNode schema = schemaJson(type);
        Set<String> schemaFields = new TreeSet<>(schema.get("properties").propertyNames());
        Set<String> required = new TreeSet<>();
        schema.get("required").forEach(n -> required.add(n.asString()));
        Set<String> recordFields = Arrays.stream(type.recordType().getRecordComponents())
                .map(c -> c.getName())
                .collect(Collectors.toCollection(TreeSet::new));
        // A field added to a type after its events were in the log is not required, and allows null
        // (an older event has none); every other field is required.
        Set<String> optional = new TreeSet<>(recordFields);
        optional.removeAll(required);

        assertThat(schemaFields).isEqualTo(recordFields);
        assertThat(recordFields).containsAll(required);
        assertThat(optional)
                .allSatisfy(field -> assertThat(
                                schema.get("properties").get(field).path("type").toString())
                        .contains("\"null\""));
        assertThat(schemaFields).contains("eventId", "jobId", "nodeId", "occurredAt", "schemaVersion");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void sampleDocumentsAreValidAndReadBackWithoutLosingAField(EventType type) {
        String sample = resource("/samples/" + type.logicalName() + ".json");
        assertThat(errors(type, sample)).isEmpty();

        HarkEvent event = codec.decode(type.logicalName(), sample.getBytes(StandardCharsets.UTF_8));

        assertThat(event).isInstanceOf(type.recordType());
        assertThat(JSON.readTree(codec.encode(event))).isEqualTo(JSON.readTree(sample));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemasRejectADocumentWithAMissingOrForeignField(EventType type) {
        ObjectNode doc = (ObjectNode) JSON.readTree(codec.encode(SampleEvents.of(type)));

        assertThat(errors(type, doc.deepCopy().without("jobId").toString())).isNotEmpty();
        assertThat(errors(type, doc.deepCopy().put("className", "x.Evil").toString()))
                .isNotEmpty();
        assertThat(errors(type, doc.deepCopy().put("eventId", "not-a-uuid").toString()))
                .isNotEmpty();
    }

    @Test
    void aRevocationFollowsItsSchemaBothWaysAndTheSchemaRefusesForeignFields() {
        JsonNode schema = JSON.readTree(resource(TokensRevoked.schemaResource()));
        Schema validator = REGISTRY.getSchema(schema);
        for (TokensRevoked revocation : List.of(
                TokensRevoked.signedOut("ada", "jti-1", java.time.Instant.now()), TokensRevoked.allBelow("ada", 3))) {
            byte[] json = codec.encodeRecord(revocation);

            assertThat(validator.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON))
                    .isEmpty();
            assertThat(codec.decodeRecord(json, TokensRevoked.class)).isEqualTo(revocation);
            ObjectNode foreign = ((ObjectNode) JSON.readTree(json)).put("className", "x.Evil");
            assertThat(validator.validate(foreign.toString(), InputFormat.JSON)).isNotEmpty();
        }
        Set<String> fields = new TreeSet<>(schema.get("properties").propertyNames());
        assertThat(fields)
                .isEqualTo(Arrays.stream(TokensRevoked.class.getRecordComponents())
                        .map(c -> c.getName())
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void aPriorityFollowsItsSchemaBothWaysAndTheSchemaRefusesForeignFieldsAndWeights() {
        JsonNode schema = JSON.readTree(resource(PriorityChanged.schemaResource()));
        Schema validator = REGISTRY.getSchema(schema);
        PriorityChanged priority = PriorityChanged.of("ada", 3);
        byte[] json = codec.encodeRecord(priority);

        assertThat(validator.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON))
                .isEmpty();
        assertThat(codec.decodeRecord(json, PriorityChanged.class)).isEqualTo(priority);
        ObjectNode doc = (ObjectNode) JSON.readTree(json);
        assertThat(validator.validate(doc.deepCopy().put("className", "x.Evil").toString(), InputFormat.JSON))
                .isNotEmpty();
        assertThat(validator.validate(
                        doc.deepCopy()
                                .put("weight", PriorityChanged.MAX_WEIGHT + 1)
                                .toString(),
                        InputFormat.JSON))
                .isNotEmpty();
        Set<String> fields = new TreeSet<>(schema.get("properties").propertyNames());
        assertThat(fields)
                .isEqualTo(Arrays.stream(PriorityChanged.class.getRecordComponents())
                        .map(c -> c.getName())
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void anEngineChoiceFollowsItsSchemaBothWaysAndTheSchemaRefusesForeignFieldsAndNoInstance() {
        JsonNode schema = JSON.readTree(resource(EngineChosen.schemaResource()));
        Schema validator = REGISTRY.getSchema(schema);
        for (EngineChosen chosen : List.of(
                EngineChosen.of("transcribe-1", "whisper", "ggml-base.en.bin", "HARK_ENGINE=whisper"),
                EngineChosen.of("transcribe-2", "sphinx", "", "HARK_ENGINE=sphinx"))) {
            byte[] json = codec.encodeRecord(chosen);

            assertThat(validator.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON))
                    .isEmpty();
            assertThat(codec.decodeRecord(json, EngineChosen.class)).isEqualTo(chosen);
            ObjectNode doc = (ObjectNode) JSON.readTree(json);
            assertThat(validator.validate(
                            doc.deepCopy().put("className", "x.Evil").toString(), InputFormat.JSON))
                    .isNotEmpty();
            assertThat(validator.validate(doc.deepCopy().put("instance", "").toString(), InputFormat.JSON))
                    .isNotEmpty();
            assertThat(validator.validate(doc.deepCopy().without("reason").toString(), InputFormat.JSON))
                    .isNotEmpty();
        }
        assertThat(new TreeSet<>(schema.get("properties").propertyNames()))
                .isEqualTo(Arrays.stream(EngineChosen.class.getRecordComponents())
                        .map(c -> c.getName())
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void accountErasuresFollowTheirSchemasBothWays() {
        for (Record event : List.<Record>of(AccountErased.of("ada", List.of(3L, 4L)), AccountViewCleared.of("ada"))) {
            String name = event.getClass().getSimpleName();
            JsonNode schema = JSON.readTree(resource("/hark/schemas/" + name + ".schema.json"));
            Schema validator = REGISTRY.getSchema(schema);
            byte[] json = codec.encodeRecord(event);

            assertThat(validator.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON))
                    .isEmpty();
            assertThat(codec.decodeRecord(json, event.getClass())).isEqualTo(event);
            ObjectNode foreign = ((ObjectNode) JSON.readTree(json)).put("className", "x.Evil");
            assertThat(validator.validate(foreign.toString(), InputFormat.JSON)).isNotEmpty();
            assertThat(new TreeSet<>(schema.get("properties").propertyNames()))
                    .isEqualTo(Arrays.stream(event.getClass().getRecordComponents())
                            .map(c -> c.getName())
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    @Test
    void apiKeyRecordsFollowTheirSchemasBothWaysAndARevocationCarriesNoHash() {
        UUID key = UUID.randomUUID();
        String hash = "0123456789abcdef".repeat(4);
        for (Record event : List.<Record>of(
                ApiKeyChanged.issued(key, "ada", hash, true),
                ApiKeyChanged.revoked(key, "ada"),
                ApiKeyUsed.of(key, "ada", java.time.Instant.now()))) {
            String name = event.getClass().getSimpleName();
            JsonNode schema = JSON.readTree(resource("/hark/schemas/" + name + ".schema.json"));
            Schema validator = REGISTRY.getSchema(schema);
            byte[] json = codec.encodeRecord(event);

            assertThat(validator.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON))
                    .as(name)
                    .isEmpty();
            assertThat(codec.decodeRecord(json, event.getClass())).isEqualTo(event);
            ObjectNode doc = (ObjectNode) JSON.readTree(json);
            assertThat(validator.validate(
                            doc.deepCopy().put("className", "x.Evil").toString(), InputFormat.JSON))
                    .isNotEmpty();
            assertThat(new TreeSet<>(schema.get("properties").propertyNames()))
                    .isEqualTo(Arrays.stream(event.getClass().getRecordComponents())
                            .map(c -> c.getName())
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
        Schema changes = REGISTRY.getSchema(JSON.readTree(resource(ApiKeyChanged.schemaResource())));
        ObjectNode issued =
                (ObjectNode) JSON.readTree(codec.encodeRecord(ApiKeyChanged.issued(key, "ada", hash, false)));
        // A live key needs its hash, and nothing but a hash: a key itself must never fit.
        assertThat(changes.validate(issued.deepCopy().putNull("keyHash").toString(), InputFormat.JSON))
                .isNotEmpty();
        assertThat(changes.validate(
                        issued.deepCopy()
                                .put("keyHash", "hark_" + "a".repeat(43))
                                .toString(),
                        InputFormat.JSON))
                .isNotEmpty();
        ObjectNode revoked = (ObjectNode) JSON.readTree(codec.encodeRecord(ApiKeyChanged.revoked(key, "ada")));
        assertThat(changes.validate(revoked.deepCopy().put("keyHash", hash).toString(), InputFormat.JSON))
                .isNotEmpty();
    }

    @Test
    void anUploadWithATitleAndOneWrittenBeforeTitlesBothFollowTheSchema() {
        String titled = resource("/samples/AudioUploaded-titled.json");
        assertThat(errors(EventType.AUDIO_UPLOADED, titled)).isEmpty();
        AudioUploaded event = (AudioUploaded)
                codec.decode(EventType.AUDIO_UPLOADED.logicalName(), titled.getBytes(StandardCharsets.UTF_8));
        assertThat(event.titlePath()).startsWith("texts/42/titles/");
        assertThat(JSON.readTree(codec.encode(event))).isEqualTo(JSON.readTree(titled));

        AudioUploaded old = (AudioUploaded) codec.decode(
                EventType.AUDIO_UPLOADED.logicalName(),
                resource("/samples/AudioUploaded.json").getBytes(StandardCharsets.UTF_8));
        assertThat(old.titlePath()).isNull();
        assertThat(new String(codec.encode(old), StandardCharsets.UTF_8)).doesNotContain("title");

        ObjectNode doc = (ObjectNode) JSON.readTree(titled);
        assertThat(errors(
                        EventType.AUDIO_UPLOADED,
                        doc.deepCopy().put("titlePath", "").toString()))
                .isNotEmpty();
        assertThat(errors(
                        EventType.AUDIO_UPLOADED,
                        doc.deepCopy().put("title", "Words").toString()))
                .as("a title itself never travels")
                .isNotEmpty();
    }

    @Test
    void eachRenameIsItsOwnEventAndItsRepeatIsTheSame() {
        UUID job = UUID.randomUUID();
        NoteRetitled first = NoteRetitled.of(job, 1, "ada", "texts/1/titles/a.txt");
        assertThat(NoteRetitled.of(job, 1, "ada", "texts/1/titles/b.txt").eventId())
                .isNotEqualTo(first.eventId());
        assertThat(NoteRetitled.of(job, 1, "ada", "texts/1/titles/a.txt").eventId())
                .isEqualTo(first.eventId());
    }

    @Test
    void unknownTypeNamesAreRefused() {
        assertThatThrownBy(() -> codec.decode("java.lang.Runtime", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class);
    }

    @Test
    void repeatedWorkGetsTheSameEventId() {
        UUID job = UUID.randomUUID();
        assertThat(ChunkReady.of(job, 1, 2, 3, "w/c", 0, 1).eventId())
                .isEqualTo(ChunkReady.of(job, 1, 2, 3, "w/c", 0, 1).eventId())
                .isNotEqualTo(ChunkReady.of(job, 1, 1, 3, "w/c", 0, 1).eventId());
    }

    @Test
    void aReplayedInputThatFailsAgainIsANewFailure() {
        UUID job = UUID.randomUUID();
        StageFailed first = StageFailed.of(job, 1, "transcribe", "down", false, "audio.chunks/4/10");
        assertThat(StageFailed.of(job, 1, "transcribe", "down", false, "audio.chunks/4/10")
                        .eventId())
                .as("the same record redelivered")
                .isEqualTo(first.eventId());
        assertThat(StageFailed.of(job, 1, "transcribe", "down", false, "audio.chunks/4/31")
                        .eventId())
                .as("the record put back by a replay")
                .isNotEqualTo(first.eventId());
    }

    private static List<Error> errors(EventType type, String json) {
        Schema schema = REGISTRY.getSchema(schemaJson(type));
        return schema.validate(json, InputFormat.JSON);
    }

    private static JsonNode schemaJson(EventType type) {
        return JSON.readTree(resource(type.schemaResource()));
    }

    private static String resource(String name) {
        try (InputStream in = EventContractTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;

import hark.platform.db.DatabaseMigrations;
import hark.platform.db.DatabaseProperties;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.StageFailed;
import hark.schemas.TranscriptAssembled;
import hark.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The original design's backfill rules, applied to rows imported from the original system. */
class LegacyBackfillTest {

    private final TestDatabase db = TestDatabase.create();

    @Test
    void legacyAudioNodesAreAnnouncedCompletedOrFailedByTheOriginalDesignsRules() throws Exception {
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas("upload")
                .createSchemas(true)
                .table("flyway_history")
                .locations("classpath:db/upload", "classpath:db/outbox")
                .target("1")
                .load()
                .migrate();
        try (Connection c = db.connect()) {
            c.createStatement().execute("""
                    INSERT INTO upload.nodes (user_id, content, audio_original_url) VALUES
                      ('ann', 'we met at the harbour', '/media/ann/1/original.m4a'),
                      ('bob', '[Voice note – transcription pending]', '/media/bob/2/original.webm'),
                      ('cid', 'a text node, never audio', NULL)""");
        }

        new DatabaseMigrations(
                        new DatabaseProperties(db.jdbcUrl(), db.user(), db.password()),
                        List.of(UploadServiceConfiguration.SCHEMA))
                .afterPropertiesSet();

        Map<String, HarkEvent> byUser = new HashMap<>();
        EventCodec codec = new EventCodec();
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT n.user_id, o.event_type, o.payload, o.topic, n.transcription_task_id::text AS job"
                                        + " FROM upload.outbox o JOIN upload.nodes n ON o.message_key = n.transcription_task_id::text")) {
            while (rs.next()) {
                HarkEvent event = codec.decode(rs.getString("event_type"), rs.getBytes("payload"));
                assertThat(event.jobId().toString()).isEqualTo(rs.getString("job"));
                byUser.put(rs.getString("user_id"), event);
            }
        }
        assertThat(byUser).containsOnlyKeys("ann", "bob");
        assertThat(byUser.get("ann"))
                .isInstanceOfSatisfying(
                        TranscriptAssembled.class,
                        e -> assertThat(e.text()).isEqualTo("we met at the harbour")); // read as before the claim check
        assertThat(byUser.get("bob"))
                .isInstanceOfSatisfying(
                        StageFailed.class, e -> assertThat(e.reason()).isEqualTo("Legacy transcription failed"));
    }
}

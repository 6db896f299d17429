package hark.status.transcript;

import hark.platform.transcript.Subtitles.Cue;
import hark.status.StatusServiceConfiguration;
import hark.status.view.JobStatus;
import io.r2dbc.spi.Readable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads what an export needs from the status view: the node's latest job and its chunks' timed segments. */
@Component
public class TranscriptQuery {

    /**
     * The parts of a job's row an export looks at.
     *
     * @param chunksTotal  how many chunks the recording was cut into, null when no chunk event was folded
     * @param chunksStored how many chunks' texts and segments the view holds
     * @param language     the language the engine heard, when it says; else null
     */
    public record Job(
            UUID jobId,
            String userId,
            JobStatus status,
            int progress,
            String error,
            String content,
            Integer chunksTotal,
            long chunksStored,
            String language) {

        /**
         * The assembled transcript comes on another topic than the chunks, so the view can be completed
         * a moment before it has every chunk's segments; subtitles made then would miss the end.
         */
        public boolean missingChunks() {
            return chunksTotal != null && chunksStored < chunksTotal;
        }
    }

    private final DatabaseClient db;
    private final JsonMapper json;
    private final String schema = StatusServiceConfiguration.SCHEMA.name();

    public TranscriptQuery(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The newest job, as the status endpoint picks it: a retry is a new job and replaces the old one. */
    public Mono<Job> latestJob(long nodeId) {
        return db.sql("SELECT job_id, user_id, status, progress, error, content, chunks_total, language,"
                        + " (SELECT count(*) FROM "
                        + schema
                        + ".chunks c WHERE c.job_id = t.job_id) AS chunks_stored FROM " + schema + ".transcriptions t"
                        + " WHERE node_id = :node ORDER BY uploaded_at DESC NULLS LAST, updated_at DESC LIMIT 1")
                .bind("node", nodeId)
                .map(row -> new Job(
                        row.get("job_id", UUID.class),
                        row.get("user_id", String.class),
                        JobStatus.ofDb(row.get("status", String.class)),
                        row.get("progress", Integer.class),
                        row.get("error", String.class),
                        row.get("content", String.class),
                        row.get("chunks_total", Integer.class),
                        row.get("chunks_stored", Long.class),
                        row.get("language", String.class)))
                .one();
    }

    /**
     * Every timed segment of the job, in chunk order. Empty when the engine gave no timestamps at all.
     * A chunk with text but no segments (say one chunk's reply lacked them) becomes one cue spanning the
     * chunk, so subtitles never silently miss words the text export has.
     */
    public Mono<List<Cue>> cues(UUID jobId) {
        return db.sql("SELECT chunk_index, text, start_seconds, end_seconds, segments::text AS segments FROM " + schema
                        + ".chunks WHERE job_id = :job ORDER BY chunk_index")
                .bind("job", jobId)
                .map(this::chunk)
                .all()
                .collectList()
                .map(TranscriptQuery::withWholeChunkFallback);
    }

    /** A chunk's row: its own span as a cue, then its segments. */
    private ChunkCues chunk(Readable row) {
        int index = row.get("chunk_index", Integer.class);
        List<Cue> segments = new ArrayList<>();
        // Segments are TimedText records as Jackson writes them: startSeconds, endSeconds, text.
        for (JsonNode segment : json.readTree(row.get("segments", String.class))) {
            // A missing or null field reads as 0 or "", and a cue without text is dropped by Subtitles.
            segments.add(new Cue(
                    index,
                    segment.path("startSeconds").asDouble(0),
                    segment.path("endSeconds").asDouble(0),
                    segment.path("text").stringValue("")));
        }
        Cue whole = new Cue(
                index,
                row.get("start_seconds", Double.class),
                row.get("end_seconds", Double.class),
                row.get("text", String.class));
        return new ChunkCues(whole, segments);
    }

    private static List<Cue> withWholeChunkFallback(List<ChunkCues> chunks) {
        if (chunks.stream().allMatch(chunk -> chunk.segments().isEmpty())) {
            return List.of();
        }
        List<Cue> cues = new ArrayList<>();
        for (ChunkCues chunk : chunks) {
            cues.addAll(chunk.segments().isEmpty() ? List.of(chunk.whole()) : chunk.segments());
        }
        return cues;
    }

    private record ChunkCues(Cue whole, List<Cue> segments) {}
}

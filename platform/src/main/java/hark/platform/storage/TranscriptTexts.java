package hark.platform.storage;

import hark.platform.storage.objects.ObjectStore;
import hark.platform.storage.objects.StoredObject;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.TimedText;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transcript text kept in storage, never in an event: a {@link ChunkTranscribed} or a
 * {@code TranscriptAssembled} carries only the path of its text (a claim check). Kafka's log, kept
 * for rebuilds and replays, then holds no words of anyone's recording, and erasing a node's
 * texts ({@link Storage#texts}) erases every word of it; six-hour transcripts stay out of
 * records, too. A text whose node was erased reads as empty.
 */
public class TranscriptTexts {

    /** How many title files of a node {@link #title} keeps. */
    static final int TITLES_KEPT = 3;

    /**
     * One chunk's text as the engine gave it, its segments on the recording's timeline, and the
     * language the engine heard (null when it does not say, and in texts written before).
     */
    public record ChunkText(String text, List<TimedText> segments, String language) {

        public ChunkText {
            segments = segments == null ? List.of() : List.copyOf(segments);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectStore objects;

    public TranscriptTexts(ObjectStore objects) {
        this.objects = objects;
    }

    /** Writes the chunk's text, and answers the event that points to it. */
    public ChunkTranscribed chunk(
            ChunkReady chunk, String text, String engine, List<TimedText> segments, String language) {
        String key = chunkKey(chunk.nodeId(), chunk.jobId(), chunk.chunkIndex());
        objects.writeSmall(key, JSON.writeValueAsBytes(new ChunkText(text, segments, language)));
        return ChunkTranscribed.of(chunk, key, engine, language);
    }

    /** The text of another chunk of the same job, when it is already transcribed. */
    public Optional<ChunkText> readChunk(long nodeId, UUID jobId, int chunkIndex) {
        return readChunk(chunkKey(nodeId, jobId, chunkIndex));
    }

    /** The keys of a job's chunk texts written so far, in chunk order. */
    public List<String> chunkKeys(long nodeId, UUID jobId) {
        return objects.list(jobPrefix(nodeId, jobId)).stream()
                .map(StoredObject::key)
                .filter(key -> key.matches(".*/chunk-\\d+\\.json"))
                .sorted()
                .toList();
    }

    private static String chunkKey(long nodeId, UUID jobId, int chunkIndex) {
        return jobPrefix(nodeId, jobId) + String.format("chunk-%05d.json", chunkIndex);
    }

    /** Writes a job's assembled transcript; answers its key for the event. */
    public String transcript(long nodeId, UUID jobId, String text) {
        String key = jobPrefix(nodeId, jobId) + "transcript.txt";
        objects.writeSmall(key, text.getBytes(StandardCharsets.UTF_8));
        return key;
    }

    /**
     * Writes a note's title, a claim check as for its transcript: the title is the person's words
     * too, and erasing the node's texts erases every title it had. A new file for every title, so
     * that an event read again (a rebuild) finds the title it announced. Answers its key.
     *
     * <p>Only the newest {@link #TITLES_KEPT} files of a node stay: otherwise every rename would
     * leave a file for good, and a user renaming in a loop could fill the store. An older title's
     * event finds its file gone and is skipped, which loses nothing, as the newest title wins
     * anyway; more than one is kept for renames of one note racing each other.
     */
    public String title(long nodeId, String title) {
        String folder = Storage.texts(nodeId) + "titles/";
        String key = folder + UUID.randomUUID() + ".txt";
        objects.writeSmall(key, title.getBytes(StandardCharsets.UTF_8));
        objects.list(folder).stream()
                .filter(older -> !older.key().equals(key))
                .sorted(Comparator.comparing(StoredObject::lastModified).reversed())
                .skip(TITLES_KEPT - 1)
                .forEach(older -> objects.delete(older.key()));
        return key;
    }

    /** A title written by {@link #title}; empty when its node was erased. */
    public Optional<String> readTitle(String key) {
        return readTranscript(key);
    }

    public Optional<ChunkText> readChunk(String key) {
        return read(key).map(bytes -> JSON.readValue(bytes, ChunkText.class));
    }

    public Optional<String> readTranscript(String key) {
        return read(key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Removes the texts of a job that was cancelled or erased while they were written (its
     * listener may have cleared the node's texts first); an earlier job's transcript of the same
     * node stays.
     */
    public void deleteJob(long nodeId, UUID jobId) {
        objects.deletePrefix(jobPrefix(nodeId, jobId));
    }

    /** Removes every text of the node, of all its jobs. */
    public void deleteNode(long nodeId) {
        objects.deletePrefix(Storage.texts(nodeId));
    }

    private static String jobPrefix(long nodeId, UUID jobId) {
        return Storage.texts(nodeId) + jobId + "/";
    }

    private Optional<byte[]> read(String key) {
        return key == null ? Optional.empty() : objects.readSmall(key);
    }
}

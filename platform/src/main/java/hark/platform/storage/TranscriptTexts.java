package hark.platform.storage;

import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.TimedText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transcript text kept in storage, never in an event: a {@link ChunkTranscribed} or a
 * {@code TranscriptAssembled} carries only the path of its text (a claim check). Kafka's log, kept
 * for rebuilds and replays, then holds no words of anyone's recording, and erasing a node's
 * folder ({@link Storage#texts}) erases every word of it; six-hour transcripts stay out of
 * records, too. A text whose node was erased reads as empty.
 */
public class TranscriptTexts {

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

    private final Storage storage;

    public TranscriptTexts(Storage storage) {
        this.storage = storage;
    }

    /** Writes the chunk's text, and answers the event that points to it. */
    public ChunkTranscribed chunk(
            ChunkReady chunk, String text, String engine, List<TimedText> segments, String language) {
        Path file = chunkFile(chunk.nodeId(), chunk.jobId(), chunk.chunkIndex());
        write(file, JSON.writeValueAsBytes(new ChunkText(text, segments, language)));
        return ChunkTranscribed.of(chunk, storage.relative(file), engine, language);
    }

    /** The text of another chunk of the same job, when it is already transcribed. */
    public Optional<ChunkText> readChunk(long nodeId, UUID jobId, int chunkIndex) {
        return readChunk(storage.relative(chunkFile(nodeId, jobId, chunkIndex)));
    }

    private Path chunkFile(long nodeId, UUID jobId, int chunkIndex) {
        return folder(nodeId, jobId).resolve(String.format("chunk-%05d.json", chunkIndex));
    }

    /** Writes a job's assembled transcript; answers its path for the event. */
    public String transcript(long nodeId, UUID jobId, String text) {
        Path file = folder(nodeId, jobId).resolve("transcript.txt");
        write(file, text.getBytes(StandardCharsets.UTF_8));
        return storage.relative(file);
    }

    public Optional<ChunkText> readChunk(String path) {
        return read(path).map(bytes -> JSON.readValue(bytes, ChunkText.class));
    }

    public Optional<String> readTranscript(String path) {
        return read(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Removes the texts of a job that was cancelled or erased while they were written (its
     * listener may have cleared the node's folder first), and the node's folder if nothing else is
     * in it: an earlier job's transcript of the same node stays.
     */
    public void deleteJob(long nodeId, UUID jobId) {
        Storage.deleteTree(folder(nodeId, jobId));
        try {
            Files.deleteIfExists(storage.texts(nodeId));
        } catch (DirectoryNotEmptyException othersThere) {
            // an earlier job's texts
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path folder(long nodeId, UUID jobId) {
        return storage.texts(nodeId).resolve(jobId.toString());
    }

    private Optional<byte[]> read(String path) {
        if (path == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(storage.resolve(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whole or not at all: a reader never sees half a text, and a redelivery simply writes it again. */
    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * Every event of a transcription job. The JSON Schema of each type (under
 * {@code hark/schemas/<Type>.schema.json}) is the contract; the records follow it.
 */
public sealed interface HarkEvent
        permits AudioUploaded,
                StageStarted,
                AudioPrepared,
                ChunkReady,
                ChunkTranscribed,
                TranscriptAssembled,
                StageFailed,
                TranscriptionCancelled,
                DeadLetterReplayed,
                JobQueued,
                RecordingErased,
                NoteRetitled {

    /** The version every record here is written with. */
    int SCHEMA_VERSION = 1;

    UUID eventId();

    /** One transcription attempt of a node; a retry is a new job. */
    UUID jobId();

    long nodeId();

    Instant occurredAt();

    int schemaVersion();

    /** Calls the visitor's method for this event's type. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per event type, for a consumer that must handle every one of them. Java 17 has no
     * pattern-matching {@code switch} over a sealed type, so this is how the compiler checks that such
     * a consumer is complete: a new record must implement {@link #accept}, which needs a method of
     * its own here, which every visitor must then implement. No defaults, or that check is lost.
     */
    interface Visitor<R> {
        R audioUploaded(AudioUploaded event);

        R stageStarted(StageStarted event);

        R audioPrepared(AudioPrepared event);

        R chunkReady(ChunkReady event);

        R chunkTranscribed(ChunkTranscribed event);

        R transcriptAssembled(TranscriptAssembled event);

        R stageFailed(StageFailed event);

        R transcriptionCancelled(TranscriptionCancelled event);

        R deadLetterReplayed(DeadLetterReplayed event);

        R jobQueued(JobQueued event);

        R recordingErased(RecordingErased event);

        R noteRetitled(NoteRetitled event);
    }
}

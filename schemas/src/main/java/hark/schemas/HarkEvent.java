package hark.schemas;

import java.time.Instant;
import java.util.UUID;

/**
 * Every event of a transcription job. The JSON Schema of each type (under
 * {@code hark/schemas/<Type>.schema.json}) is the contract; the records follow it.
 */
public sealed interface HarkEvent
        permits AudioUploaded, StageStarted, AudioPrepared, ChunkReady, ChunkTranscribed,
        TranscriptAssembled, StageFailed, TranscriptionCancelled, DeadLetterReplayed, JobQueued,
        RecordingErased {

    /** The version every record here is written with. */
    int SCHEMA_VERSION = 1;

    UUID eventId();

    /** One transcription attempt of a node; a retry is a new job. */
    UUID jobId();

    long nodeId();

    Instant occurredAt();

    int schemaVersion();
}

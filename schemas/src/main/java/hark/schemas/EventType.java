package hark.schemas;

import java.util.Arrays;
import java.util.Optional;

/**
 * The logical name of each event type, which travels in a record header (never a Java class
 * name), the topic it is published on, and its schema resource.
 */
public enum EventType {
    AUDIO_UPLOADED("AudioUploaded", AudioUploaded.class, Topics.AUDIO_UPLOADED),
    STAGE_STARTED("StageStarted", StageStarted.class, Topics.JOB_PROGRESS),
    AUDIO_PREPARED("AudioPrepared", AudioPrepared.class, Topics.AUDIO_PREPARED),
    // Chunks wait on their own topic until transcribe-service's dispatcher deals them out, fairly
    // across users and jobs, onto the chunk topic the transcribe consumers read.
    CHUNK_READY("ChunkReady", ChunkReady.class, Topics.AUDIO_CHUNKS_WAITING),
    CHUNK_TRANSCRIBED("ChunkTranscribed", ChunkTranscribed.class, Topics.TRANSCRIPT_CHUNKS),
    TRANSCRIPT_ASSEMBLED("TranscriptAssembled", TranscriptAssembled.class, Topics.TRANSCRIPT_ASSEMBLED),
    STAGE_FAILED("StageFailed", StageFailed.class, Topics.JOB_PROGRESS),
    TRANSCRIPTION_CANCELLED("TranscriptionCancelled", TranscriptionCancelled.class, Topics.JOB_PROGRESS),
    DEAD_LETTER_REPLAYED("DeadLetterReplayed", DeadLetterReplayed.class, Topics.JOB_PROGRESS),
    JOB_QUEUED("JobQueued", JobQueued.class, Topics.JOB_PROGRESS),
    RECORDING_ERASED("RecordingErased", RecordingErased.class, Topics.JOB_PROGRESS),
    NOTE_RETITLED("NoteRetitled", NoteRetitled.class, Topics.JOB_PROGRESS);

    private final String logicalName;
    private final Class<? extends HarkEvent> recordType;
    private final String topic;

    EventType(String logicalName, Class<? extends HarkEvent> recordType, String topic) {
        this.logicalName = logicalName;
        this.recordType = recordType;
        this.topic = topic;
    }

    public String logicalName() {
        return logicalName;
    }

    public Class<? extends HarkEvent> recordType() {
        return recordType;
    }

    public String topic() {
        return topic;
    }

    /** Classpath resource of the JSON Schema for this type. */
    public String schemaResource() {
        return "/hark/schemas/" + logicalName + ".schema.json";
    }

    public static EventType of(HarkEvent event) {
        return Arrays.stream(values())
                .filter(t -> t.recordType == event.getClass())
                .findFirst()
                .orElseThrow();
    }

    public static Optional<EventType> byName(String logicalName) {
        return Arrays.stream(values())
                .filter(t -> t.logicalName.equals(logicalName))
                .findFirst();
    }
}

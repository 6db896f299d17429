package hark.schemas;

import java.util.List;

/** Topic names, declared once. Dead letters of a topic go to {@code <topic>.dlt}. */
public final class Topics {

    public static final String AUDIO_UPLOADED = "audio.uploaded";
    public static final String AUDIO_PREPARED = "audio.prepared";
    /** The prep stages' long lanes: big uploads and long recordings, so they hold no short one back. */
    public static final String AUDIO_UPLOADED_LONG = "audio.uploaded.long";

    public static final String AUDIO_PREPARED_LONG = "audio.prepared.long";
    /** Chunks as the chunk stage cuts them, waiting for the dispatcher (see EventType.CHUNK_READY). */
    public static final String AUDIO_CHUNKS_WAITING = "audio.chunks.waiting";
    /** Chunks dealt out to the transcribe consumers, a few at a time, fairly across users and jobs. */
    public static final String AUDIO_CHUNKS = "audio.chunks";

    public static final String TRANSCRIPT_CHUNKS = "transcript.chunks";
    public static final String TRANSCRIPT_ASSEMBLED = "transcript.assembled";
    /** Job lifecycle events that are not a stage's output: started, failed, cancelled, replayed. */
    public static final String JOB_PROGRESS = "job.progress";

    /**
     * Sign-in tokens that are no longer accepted ({@link TokensRevoked}); kept only as long as a
     * token lives, and not one of the job topics in {@link #ALL}.
     */
    public static final String AUTH_REVOCATIONS = "auth.revocations";

    /**
     * API keys as issued and revoked ({@link ApiKeyChanged}), compacted by key id and kept for as
     * long as Hark runs; not one of the job topics in {@link #ALL}.
     */
    public static final String AUTH_API_KEYS = "auth.api-keys";

    /** When each API key was last accepted ({@link ApiKeyUsed}), compacted by key id. */
    public static final String AUTH_API_KEY_USES = "auth.api-key-uses";

    /**
     * Users' weights in the transcribe queue ({@link PriorityChanged}), compacted by user; not one
     * of the job topics in {@link #ALL}.
     */
    public static final String ACCOUNT_PRIORITIES = "accounts.priorities";

    /**
     * Account erasures ({@link AccountErased}) and the status service's answers
     * ({@link AccountViewCleared}); not one of the job topics in {@link #ALL}.
     */
    public static final String ACCOUNT_ERASURES = "accounts.erasures";

    /**
     * The transcription engine each transcribe-service instance started with ({@link EngineChosen}),
     * compacted by instance; not one of the job topics in {@link #ALL}.
     */
    public static final String OPS_ENGINES = "ops.engines";

    public static final List<String> ALL = List.of(
            AUDIO_UPLOADED,
            AUDIO_UPLOADED_LONG,
            AUDIO_PREPARED,
            AUDIO_PREPARED_LONG,
            AUDIO_CHUNKS_WAITING,
            AUDIO_CHUNKS,
            TRANSCRIPT_CHUNKS,
            TRANSCRIPT_ASSEMBLED,
            JOB_PROGRESS);

    private Topics() {}

    public static String deadLetter(String topic) {
        return topic + ".dlt";
    }
}

package hark.schemas;

import java.util.List;

/** Topic names, declared once. Dead letters of a topic go to {@code <topic>.dlt}. */
public final class Topics {

    public static final String AUDIO_UPLOADED = "audio.uploaded";
    public static final String AUDIO_PREPARED = "audio.prepared";
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

    public static final List<String> ALL = List.of(AUDIO_UPLOADED, AUDIO_PREPARED, AUDIO_CHUNKS,
            TRANSCRIPT_CHUNKS, TRANSCRIPT_ASSEMBLED, JOB_PROGRESS);

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + ".dlt";
    }
}

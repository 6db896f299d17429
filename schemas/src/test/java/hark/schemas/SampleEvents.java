package hark.schemas;

import java.util.UUID;

/** One realistic instance of every event type. */
final class SampleEvents {

    private SampleEvents() {}

    static HarkEvent of(EventType type) {
        UUID job = UUID.randomUUID();
        ChunkReady chunk = ChunkReady.of(job, 7, 1, 3, "work/" + job + "/chunk-001.mp3", 1190.5, 2380.25);
        return switch (type) {
            case AUDIO_UPLOADED ->
                AudioUploaded.of(
                        job,
                        7,
                        "local",
                        "originals/" + job + ".wav",
                        "audio/wav",
                        44_100,
                        "texts/7/titles/" + job + ".txt");
            case STAGE_STARTED -> StageStarted.of(job, 7, "prep");
            case AUDIO_PREPARED ->
                AudioPrepared.of(job, 7, "work/" + job + "/prepared.mp3", "mp3", 3600.0, 57_600_000, true);
            case CHUNK_READY -> chunk;
            case CHUNK_TRANSCRIBED ->
                ChunkTranscribed.of(chunk, "texts/7/" + job + "/chunk-00001.json", "whisper", "de");
            case TRANSCRIPT_ASSEMBLED ->
                TranscriptAssembled.of(job, 7, "texts/7/" + job + "/transcript.txt", 2, "whisper", "de");
            case STAGE_FAILED -> StageFailed.of(job, 7, "prep", "The file is not audio Hark can read.", true);
            case TRANSCRIPTION_CANCELLED -> TranscriptionCancelled.of(job, 7, "ada");
            case DEAD_LETTER_REPLAYED -> DeadLetterReplayed.of(job, 7, "audio.chunks.dlt", 7, 12);
            case JOB_QUEUED -> JobQueued.of(job, 7, 3);
            case RECORDING_ERASED -> RecordingErased.of(job, 7, "originals/" + job + ".wav", "ada");
            case NOTE_RETITLED -> NoteRetitled.of(job, 7, "ada", "texts/7/titles/" + UUID.randomUUID() + ".txt");
        };
    }
}

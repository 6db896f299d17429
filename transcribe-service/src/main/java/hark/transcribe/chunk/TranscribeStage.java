package hark.transcribe.chunk;

import hark.platform.audio.Ffmpeg;
import hark.platform.inbox.StageInbox;
import hark.platform.kafka.EventRecords;
import hark.platform.storage.Scratch;
import hark.platform.storage.Storage;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.EventCodec;
import hark.schemas.TimedText;
import hark.schemas.Topics;
import hark.transcribe.dispatch.Dispatcher;
import hark.transcribe.engine.EngineInput;
import hark.transcribe.engine.Transcript;
import hark.transcribe.engine.TranscriptionEngine;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Transcribes one chunk. Each consumer of this stage takes chunks from its own partitions, where
 * the {@link Dispatcher} puts one at a time (so the chunks of one recording are worked on by as
 * many consumers as there are, across processes, and a newcomer's chunk goes to the first consumer
 * that is free). One record per poll: a consumer busy with a long chunk holds no other back.
 */
@Component
public class TranscribeStage {

    /** The stage\'s name: in its failures, its dead letters and its inbox. */
    public static final String STAGE = "transcribe";

    private static final Logger log = LoggerFactory.getLogger(TranscribeStage.class);

    private final EventCodec codec;
    private final StageInbox inbox;
    private final Storage storage;
    private final Ffmpeg ffmpeg;
    private final TranscriptionEngine engine;
    private final Dispatcher dispatcher;
    private final TranscriptTexts texts;

    public TranscribeStage(
            EventCodec codec,
            @Qualifier("transcribeInbox") StageInbox inbox,
            Storage storage,
            Ffmpeg ffmpeg,
            TranscriptionEngine engine,
            Dispatcher dispatcher,
            TranscriptTexts texts) {
        this.codec = codec;
        this.inbox = inbox;
        this.storage = storage;
        this.ffmpeg = ffmpeg;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.texts = texts;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-transcribe",
            info = STAGE,
            topics = Topics.AUDIO_CHUNKS,
            concurrency = "${hark.transcribe.concurrency}",
            properties = {
                "max.poll.interval.ms=#{@chunkPollInterval.millis()}",
                // Partition p goes to consumer p mod C, and a job's chunks sit on consecutive
                // partitions, so they are dealt out evenly whenever C divides the partitions.
                "partition.assignment.strategy=org.apache.kafka.clients.consumer.RoundRobinAssignor"
            })
    void onChunk(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof ChunkReady chunk) {
            if (!inbox.skip(STAGE, chunk)) {
                ChunkTranscribed transcribed = transcribe(chunk);
                inbox.finish(STAGE, chunk, List.of(transcribed));
                // Cancelled or erased while the engine worked: its listener may have cleared the
                // folder before this text was written, so the text goes here.
                if (inbox.isCancelled(chunk.jobId())) {
                    texts.deleteJob(chunk.nodeId(), chunk.jobId());
                }
            }
            // This consumer is free: the next chunk, for whoever's turn it is.
            dispatcher.release();
        }
    }

    ChunkTranscribed transcribe(ChunkReady chunk) {
        try (Scratch scratch = storage.scratch(chunk.jobId())) {
            Path audio = scratch.fetch(
                    chunk.chunkPath(),
                    "Chunk " + (chunk.chunkIndex() + 1) + " of the recording is missing from storage.");
            long started = System.nanoTime();
            EngineInput wants = engine.input();
            // Prep produces the engine's format; a chunk from elsewhere (a replay after an engine
            // change, say) is converted here.
            Path input = audio;
            if (wants.pcmWav() && !ffmpeg.probe(audio).isPcmMono(wants.sampleRate())) {
                input = scratch.dir().resolve("chunk-" + chunk.chunkIndex() + ".pcm.wav");
                ffmpeg.toPcmWav(audio, input, wants.sampleRate());
            }
            Transcript transcript = engine.transcribe(input, textBefore(chunk));
            log.info(
                    "Job {} chunk {}/{} ({} s of audio) transcribed by {} in {} ms",
                    chunk.jobId(),
                    chunk.chunkIndex() + 1,
                    chunk.chunkCount(),
                    Math.round(chunk.endSeconds() - chunk.startSeconds()),
                    engine.name(),
                    (System.nanoTime() - started) / 1_000_000);
            List<TimedText> segments = transcript.segments().stream()
                    .map(s -> new TimedText(
                            chunk.startSeconds() + s.startSeconds(), chunk.startSeconds() + s.endSeconds(), s.text()))
                    .toList();
            return texts.chunk(chunk, transcript.text(), engine.name(), segments, transcript.language());
        }
    }

    /**
     * The last sentence of the previous chunk, when that chunk is already transcribed, so an engine
     * that takes context (Whisper) hears the words at the cut as the continuation they are. Chunks of
     * a recording are transcribed in parallel, by consumers that do not wait for each other, so the
     * previous one is often not done yet: then there is no context, rather than a wait that would undo
     * the parallelism. (A replay may therefore word a cut differently than the first run did.)
     */
    private String textBefore(ChunkReady chunk) {
        if (chunk.chunkIndex() == 0) {
            return "";
        }
        return texts.readChunk(chunk.nodeId(), chunk.jobId(), chunk.chunkIndex() - 1)
                .map(previous -> LastSentence.of(previous.text()))
                .orElse("");
    }
}

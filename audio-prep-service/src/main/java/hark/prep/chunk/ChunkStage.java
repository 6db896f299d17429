package hark.prep.chunk;

import hark.platform.inbox.StageInbox;
import hark.platform.kafka.EventRecords;
import hark.platform.storage.Scratch;
import hark.platform.storage.Storage;
import hark.prep.lanes.Lanes;
import hark.schemas.AudioPrepared;
import hark.schemas.ChunkReady;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The chunk stage: prepared audio in, one {@code ChunkReady} per chunk out. The publisher spreads
 * the chunks over the partitions of the chunk topic so they transcribe in parallel.
 */
@Component
public class ChunkStage {

    /** The stage\'s name: in its failures, its dead letters and its inbox. */
    public static final String STAGE = "chunk";

    private final EventCodec codec;
    private final StageInbox inbox;
    private final Storage storage;
    private final Chunker chunker;
    private final Lanes lanes;

    public ChunkStage(
            EventCodec codec, @Qualifier("prepInbox") StageInbox inbox, Storage storage, Chunker chunker, Lanes lanes) {
        this.codec = codec;
        this.inbox = inbox;
        this.storage = storage;
        this.chunker = chunker;
        this.lanes = lanes;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-chunk",
            info = STAGE,
            topics = Topics.AUDIO_PREPARED,
            concurrency = "${hark.prep.concurrency}")
    void onPrepared(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof AudioPrepared prepared && !lanes.sentToLongLane(prepared)) {
            cut(prepared);
        }
    }

    /** Long recordings: cut here, one after another, while the short ones keep going. */
    @KafkaListener(
            id = "${hark.kafka.group-prefix}-chunk-long",
            info = STAGE,
            topics = Topics.AUDIO_PREPARED_LONG,
            concurrency = "${hark.prep.concurrency}")
    void onLongRecording(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof AudioPrepared prepared) {
            cut(prepared);
        }
    }

    private void cut(AudioPrepared prepared) {
        if (!inbox.skip(STAGE, prepared)) {
            inbox.finish(STAGE, prepared, chunks(prepared));
        }
    }

    /** The prepared audio fetched into scratch, cut there, and each chunk stored as an object of the job's work. */
    private List<ChunkReady> chunks(AudioPrepared prepared) {
        try (Scratch scratch = storage.scratch(prepared.jobId())) {
            Path audio = scratch.fetch(prepared.preparedPath(), "The prepared recording is no longer in storage.");
            List<Chunker.Chunk> chunks =
                    chunker.split(audio, scratch.dir(), prepared.durationSeconds(), prepared.sizeBytes());
            List<ChunkReady> ready = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                Chunker.Chunk chunk = chunks.get(i);
                String key = prepared.preparedPath();
                if (!chunk.path().equals(audio)) {
                    key = Storage.work(
                            prepared.jobId(), chunk.path().getFileName().toString());
                    storage.objects().put(key, chunk.path());
                }
                ready.add(ChunkReady.of(
                        prepared.jobId(),
                        prepared.nodeId(),
                        i,
                        chunks.size(),
                        key,
                        chunk.startSeconds(),
                        chunk.endSeconds()));
            }
            return ready;
        }
    }
}

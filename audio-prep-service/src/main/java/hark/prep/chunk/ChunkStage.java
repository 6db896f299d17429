package hark.prep.chunk;

import hark.platform.audio.Ffmpeg;
import hark.platform.kafka.EventPublisher;
import hark.platform.kafka.EventRecords;
import hark.platform.storage.Storage;
import hark.prep.PrepProperties;
import hark.schemas.AudioPrepared;
import hark.schemas.ChunkReady;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cuts a prepared recording that is too big or too long for one request into chunks of at most
 * {@code chunk-seconds}, and announces every chunk; a recording that fits is one chunk.
 * The chunks are spread over the partitions of the chunk topic so they transcribe in parallel.
 */
@Component
public class ChunkStage {

    private static final double SLIVER_SECONDS = 1.0;

    private final EventCodec codec;
    private final EventPublisher publisher;
    private final Storage storage;
    private final Ffmpeg ffmpeg;
    private final PrepProperties props;

    public ChunkStage(EventCodec codec, EventPublisher publisher, Storage storage, Ffmpeg ffmpeg,
                      PrepProperties props) {
        this.codec = codec;
        this.publisher = publisher;
        this.storage = storage;
        this.ffmpeg = ffmpeg;
        this.props = props;
    }

    @KafkaListener(id = "${hark.kafka.group-prefix}-chunk", topics = Topics.AUDIO_PREPARED,
            concurrency = "${hark.prep.concurrency}")
    void onPrepared(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof AudioPrepared prepared) {
            chunk(prepared);
        }
    }

    void chunk(AudioPrepared prepared) {
        List<String> cuts = props.needsChunking(prepared.sizeBytes(), prepared.durationSeconds())
                ? cutTimes(prepared.durationSeconds()) : List.of();
        if (cuts.isEmpty()) {
            publisher.publish(ChunkReady.of(prepared.jobId(), prepared.nodeId(), 0, 1, prepared.preparedPath(), 0,
                    prepared.durationSeconds()));
            return;
        }
        Path source = storage.resolve(prepared.preparedPath());
        Path dir = storage.work(prepared.jobId());
        List<Path> chunks = split(source, dir, cuts);
        double start = 0;
        for (int i = 0; i < chunks.size(); i++) {
            double length = ffmpeg.probe(chunks.get(i)).durationSeconds();
            // The last chunk ends where the recording does, so the pieces add up to the whole.
            double end = i == chunks.size() - 1 ? prepared.durationSeconds() : start + length;
            publisher.publish(ChunkReady.of(prepared.jobId(), prepared.nodeId(), i, chunks.size(),
                    storage.relative(chunks.get(i)), start, end));
            start = end;
        }
    }

    /**
     * Cuts every {@code chunk-seconds}, except that a remainder under a second joins the last chunk:
     * encoders pad a little, and a sliver of silence is not worth a request of its own.
     */
    List<String> cutTimes(double duration) {
        int chunk = props.chunkSeconds();
        int pieces = Math.max(1, (int) Math.ceil((duration - SLIVER_SECONDS) / chunk));
        List<String> cuts = new ArrayList<>();
        for (int i = 1; i < pieces; i++) {
            cuts.add(Integer.toString(i * chunk));
        }
        return cuts;
    }

    private List<Path> split(Path source, Path dir, List<String> cuts) {
        boolean mp3 = source.getFileName().toString().endsWith(".mp3");
        List<String> codecArgs = mp3 ? List.of("-c", "copy") : List.of("-c:a", "libmp3lame", "-b:a", props.bitrate());
        var args = new ArrayList<>(List.of("-i", source.toString(), "-map", "0:a:0", "-vn"));
        args.addAll(codecArgs);
        args.addAll(List.of("-f", "segment", "-segment_times", String.join(",", cuts),
                "-reset_timestamps", "1", dir.resolve("chunk-%04d.mp3").toString()));
        ffmpeg.run(args);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("chunk-\\d{4}\\.mp3")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

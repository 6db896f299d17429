package hark.prep.prepare;

import hark.platform.audio.AudioInfo;
import hark.platform.audio.Ffmpeg;
import hark.platform.kafka.EventPublisher;
import hark.platform.kafka.EventRecords;
import hark.platform.storage.Storage;
import hark.prep.PrepProperties;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.EventCodec;
import hark.schemas.StageStarted;
import hark.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.util.List;

/**
 * Probes an upload and, by the seed's rule (WAV or FLAC, or anything over the single-file size),
 * compresses it to MP3. ffmpeg works file to file: the recording never enters the JVM.
 */
@Component
public class PrepStage {

    private static final Logger log = LoggerFactory.getLogger(PrepStage.class);

    private final EventCodec codec;
    private final EventPublisher publisher;
    private final Storage storage;
    private final Ffmpeg ffmpeg;
    private final PrepProperties props;

    public PrepStage(EventCodec codec, EventPublisher publisher, Storage storage, Ffmpeg ffmpeg, PrepProperties props) {
        this.codec = codec;
        this.publisher = publisher;
        this.storage = storage;
        this.ffmpeg = ffmpeg;
        this.props = props;
    }

    @KafkaListener(id = "${hark.kafka.group-prefix}-prep", topics = Topics.AUDIO_UPLOADED,
            concurrency = "${hark.prep.concurrency}")
    void onUploaded(ConsumerRecord<String, byte[]> record) {
        if (EventRecords.decode(codec, record) instanceof AudioUploaded uploaded) {
            prepare(uploaded);
        }
    }

    void prepare(AudioUploaded uploaded) {
        publisher.publish(StageStarted.of(uploaded.jobId(), uploaded.nodeId(), "prep"));
        Path original = storage.resolve(uploaded.audioPath());
        AudioInfo info = ffmpeg.probe(original);
        Path prepared = original;
        boolean compress = isLossless(info) || info.sizeBytes() > props.maxSingleBytes();
        if (compress) {
            prepared = storage.work(uploaded.jobId()).resolve("prepared.mp3");
            ffmpeg.run(List.of("-i", original.toString(), "-map", "0:a:0", "-vn", "-c:a", "libmp3lame",
                    "-b:a", props.bitrate(), prepared.toString()));
            info = ffmpeg.probe(prepared);
        }
        log.info("Job {}: {} s of {} audio, {} bytes{}", uploaded.jobId(), info.durationSeconds(), info.format(),
                info.sizeBytes(), compress ? " after compression" : "");
        publisher.publish(AudioPrepared.of(uploaded.jobId(), uploaded.nodeId(), storage.relative(prepared),
                info.format(), info.durationSeconds(), info.sizeBytes(), compress));
    }

    private static boolean isLossless(AudioInfo info) {
        String format = info.format() == null ? "" : info.format();
        return format.contains("wav") || format.contains("flac");
    }
}

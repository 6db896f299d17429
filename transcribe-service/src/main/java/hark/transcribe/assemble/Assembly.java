package hark.transcribe.assemble;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.ChunkTranscribed;
import hark.schemas.TranscriptAssembled;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The chunk texts of unfinished jobs, and the once-only assembly of a finished one. */
@Repository
public class Assembly {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final OutboxWriter outbox;
    private final TranscriptTexts texts;

    public Assembly(
            DatabaseClient db,
            TransactionalOperator tx,
            EventPublisher publisher,
            TranscriptTexts texts,
            @Qualifier("transcribeOutboxRelay") OutboxRelay relay) {
        this.db = db;
        this.tx = tx;
        this.outbox = new OutboxWriter(db, publisher, relay);
        this.texts = texts;
    }

    /** Records a chunk; returns true when this call assembled its job's transcript. */
    public Mono<Boolean> add(ChunkTranscribed chunk) {
        UUID job = chunk.jobId();
        return tx.transactional(alreadyAssembled(job)
                .flatMap(ended -> ended ? Mono.just(false) : store(chunk).then(assembleIfComplete(chunk))));
    }

    private Mono<Void> store(ChunkTranscribed chunk) {
        return db.sql(
                        "INSERT INTO transcribe.chunk_texts (job_id, chunk_index, chunk_count, node_id, text_path, engine)"
                                + " VALUES (:job, :index, :count, :node, :path, :engine) ON CONFLICT DO NOTHING")
                .bind("job", chunk.jobId())
                .bind("index", chunk.chunkIndex())
                .bind("count", chunk.chunkCount())
                .bind("node", chunk.nodeId())
                .bind("path", chunk.textPath())
                .bind("engine", chunk.engine())
                .then();
    }

    private Mono<Boolean> assembleIfComplete(ChunkTranscribed chunk) {
        UUID job = chunk.jobId();
        return db.sql("SELECT count(*) FROM transcribe.chunk_texts WHERE job_id = :job")
                .bind("job", job)
                .map(row -> row.get(0, Long.class))
                .one()
                .filter(received -> received == chunk.chunkCount())
                .flatMap(all -> claim(job))
                .flatMap(claimed -> textPaths(job))
                .map(paths -> paths.stream()
                        .map(path -> texts.readChunk(path).orElse(new TranscriptTexts.ChunkText("", null, null)))
                        .toList())
                .flatMap(chunks -> outbox.append(TranscriptAssembled.of(
                                job,
                                chunk.nodeId(),
                                texts.transcript(
                                        chunk.nodeId(),
                                        job,
                                        join(chunks.stream()
                                                .map(TranscriptTexts.ChunkText::text)
                                                .toList())),
                                chunk.chunkCount(),
                                chunk.engine(),
                                mostHeard(chunks)))
                        .then(db.sql("DELETE FROM transcribe.chunk_texts WHERE job_id = :job")
                                .bind("job", job)
                                .then())
                        .thenReturn(true))
                .defaultIfEmpty(false);
    }

    /** The chunk texts kept for a cancelled job. */
    public Mono<Void> forget(UUID jobId) {
        return db.sql("DELETE FROM transcribe.chunk_texts WHERE job_id = :job")
                .bind("job", jobId)
                .then();
    }

    /** A chunk redelivered after its job was assembled, or of a cancelled job, has nothing left to do. */
    private Mono<Boolean> alreadyAssembled(UUID jobId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM transcribe.assembled_jobs WHERE job_id = :job)"
                        + " OR EXISTS (SELECT 1 FROM transcribe.cancelled_jobs WHERE job_id = :job)")
                .bind("job", jobId)
                .map(row -> row.get(0, Boolean.class))
                .one();
    }

    /** Empty unless this transaction is the first to assemble the job. */
    private Mono<UUID> claim(UUID jobId) {
        return db.sql("INSERT INTO transcribe.assembled_jobs (job_id) VALUES (:job) ON CONFLICT DO NOTHING"
                        + " RETURNING job_id")
                .bind("job", jobId)
                .map(row -> row.get(0, UUID.class))
                .one();
    }

    private Mono<List<String>> textPaths(UUID jobId) {
        return db.sql("SELECT text_path FROM transcribe.chunk_texts WHERE job_id = :job ORDER BY chunk_index")
                .bind("job", jobId)
                .map(row -> row.get(0, String.class))
                .all()
                .collectList();
    }

    /** True when the job was cancelled or erased: a transcript written for it meanwhile goes. */
    public Mono<Boolean> stopped(UUID jobId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM transcribe.cancelled_jobs WHERE job_id = :job)")
                .bind("job", jobId)
                .map(row -> row.get(0, Boolean.class))
                .one();
    }

    /** The language most chunks were heard in, or null when the engine named none. */
    static String mostHeard(List<TranscriptTexts.ChunkText> chunks) {
        return chunks.stream()
                .map(TranscriptTexts.ChunkText::language)
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(language -> language, TreeMap::new, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    /** Chunks in order, a blank line between them, as the original design joined them. */
    static String join(List<String> texts) {
        return texts.stream().map(String::strip).filter(t -> !t.isEmpty()).collect(Collectors.joining("\n\n"));
    }
}

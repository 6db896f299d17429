package hark.standalone.bench;

import hark.platform.kafka.EventRecords;
import hark.schemas.AudioPrepared;
import hark.schemas.AudioUploaded;
import hark.schemas.ChunkReady;
import hark.schemas.ChunkTranscribed;
import hark.schemas.EventCodec;
import hark.schemas.HarkEvent;
import hark.schemas.Topics;
import hark.schemas.TranscriptAssembled;
import hark.standalone.Hark;
import hark.standalone.LocalInfrastructure;
import hark.standalone.StandInEngine;
import hark.testing.FakeTranscriptionApi;
import hark.testing.RecordedRequest;
import hark.testing.SpeechClip;
import hark.testing.TestAudio;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether the chunks of one recording really transcribe in parallel with the OpenAI engine: Hark
 * in-process (embedded broker and database, all four services, real Kafka hops) against a local
 * stand-in of the API that answers every chunk after a fixed latency L. A recording of N chunks
 * with C transcribe consumers should take about ceil(N/C)·L plus the pipeline's own overhead,
 * where the original design's loop took N·L. Run by {@code bench/engine-parallelism.sh}; not a test.
 *
 * <p>Arguments: {@code [runs] [L:N:C ...]}, L in seconds. Each configuration gets a fresh Hark
 * (consumer count and chunk planning are start-up settings) on the one broker and database that
 * stay up for the whole run, one warm-up job, then {@code runs} measured jobs; medians are printed.
 */
public final class EngineParallelismBench {

    private static final String API_KEY = "sk-bench-engine-parallelism";
    /** Each slot holds the 3.5 s clip then silence, so every planned cut has a pause to move to. */
    private static final double SLOT_SECONDS = 5.0;

    private static final Duration POLL = Duration.ofMillis(50);
    /** The listener id of the transcribe stage, which spring-kafka also uses as its group id. */
    private static final String TRANSCRIBE_GROUP = "hark-transcribe";

    private static final List<String> DEFAULT_CONFIGS =
            List.of("3:10:1", "3:10:2", "3:10:5", "3:10:10", "1:10:5", "1:20:5");

    // Plain HTTP/1.1, as a browser talks to Hark: no h2c upgrade attempt on every request.
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String signedInAt;
    private String authorization;
    private final JsonMapper json = JsonMapper.builder().build();
    private final EventCodec codec = new EventCodec();

    private EngineParallelismBench() {}

    /** One row of the table: engine latency, chunks, consumers. */
    private record Config(Duration latency, int chunks, int consumers) {

        static Config parse(String spec) {
            String[] parts = spec.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("A configuration is L:N:C (seconds:chunks:consumers), not " + spec);
            }
            return new Config(
                    Duration.ofMillis(Math.round(Double.parseDouble(parts[0]) * 1000)),
                    Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]));
        }

        long idealMillis() {
            return (long) Math.ceil((double) chunks / consumers) * latency.toMillis();
        }

        long sequentialMillis() {
            return chunks * latency.toMillis();
        }
    }

    /**
     * One measured job; every time in milliseconds. The steps follow each other, so they add up
     * to the end-to-end time: upload sent → AudioUploaded published (request, database, outbox
     * relay) → AudioPrepared published (prep: MP3 compression) → first ChunkReady published (the
     * chunk stage: planning, cuts at pauses, ffmpeg segmenting) → first request at the API (a
     * consumer polls the chunk and builds the request) → last answer (the transcribe phase) → last
     * ChunkTranscribed published → TranscriptAssembled published (assembly, outbox relay) →
     * status {@code completed} seen by the 50 ms poll (the status view folding the event).
     */
    private record Job(
            long endToEnd,
            long upload,
            long prep,
            long chunk,
            long toFirstCall,
            long transcribePhase,
            long resultsOut,
            long assembly,
            long statusView,
            int peakConcurrency,
            int mostChunksOnOneConsumer,
            String chunksPerConsumer) {

        long beforeFirstCall() {
            return upload + prep + chunk + toFirstCall;
        }

        long afterLastAnswer() {
            return resultsOut + assembly + statusView;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Config> configs = (args.length > 1 ? Arrays.asList(args).subList(1, args.length) : DEFAULT_CONFIGS)
                .stream().map(Config::parse).toList();
        // Embedded broker, database and HTTP clients leave non-daemon threads behind, which would
        // keep the JVM up after the table, or after a failed check.
        try {
            new EngineParallelismBench().run(runs, configs);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run(int runs, List<Config> configs) throws Exception {
        Path data = Files.createTempDirectory("engine-parallelism");
        Path clip = TestAudio.speech(SpeechClip.PRIMARY.file(), data);
        Map<Integer, Path> recordings = new HashMap<>();
        Map<Config, List<Job>> results = new LinkedHashMap<>();
        long started = System.nanoTime();
        LocalInfrastructure infrastructure = LocalInfrastructure.start(data, Map.of());
        try (FakeTranscriptionApi api = FakeTranscriptionApi.start(API_KEY)) {
            Map<String, String> settings = infrastructure.settings();
            String bootstrap = settings.get("KAFKA_BOOTSTRAP_SERVERS");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                    KafkaConsumer<String, byte[]> events = eventReader(bootstrap)) {
                for (Config config : configs) {
                    Path recording = recordings.computeIfAbsent(config.chunks(), n -> recording(data, clip, n));
                    results.put(config, measure(config, runs, recording, data, settings, api, admin, events));
                }
            }
        } finally {
            infrastructure.close();
            deleteQuietly(data);
        }
        printTable(runs, results, (System.nanoTime() - started) / 1_000_000_000);
    }

    /** N slots of the speech clip and a pause, uploaded as WAV so prep compresses it as for a real upload. */
    private static Path recording(Path data, Path clip, int slots) {
        Path[] clips = new Path[slots];
        Arrays.fill(clips, clip);
        return TestAudio.joinWithPauses(data.resolve("talk-" + slots + ".wav"), SLOT_SECONDS, clips);
    }

    private List<Job> measure(
            Config config,
            int runs,
            Path recording,
            Path data,
            Map<String, String> settings,
            FakeTranscriptionApi api,
            Admin admin,
            KafkaConsumer<String, byte[]> events)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%n== L = %.1f s, N = %d chunks, C = %d consumers: starting Hark%n",
                config.latency().toMillis() / 1000.0,
                config.chunks(),
                config.consumers());
        ConfigurableApplicationContext hark = Hark.run(data, settings, harkArgs(config, api));
        try {
            String base = "http://localhost:" + hark.getEnvironment().getProperty("local.server.port");
            // The warm-up warms the JIT and lets the consumer group settle; its latency does not
            // matter for that, so it costs no waiting.
            api.withLatency(Duration.ZERO).reset();
            Job warm = job(config, base, recording, api, events, Map.of());
            System.out.printf(Locale.ROOT, "   warm-up: %d ms end to end%n", warm.endToEnd());
            Map<Integer, Integer> owners = awaitBalancedGroup(admin, config.consumers());

            api.withLatency(config.latency());
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                noLateRequests(api, config.chunks());
                api.reset();
                Job job = job(config, base, recording, api, events, owners);
                jobs.add(job);
                System.out.printf(
                        Locale.ROOT,
                        "   run %d: %d ms end to end = upload %d + prep %d + chunk %d + to first "
                                + "call %d + transcribe phase %d + results out %d + assembly %d + status view %d; "
                                + "peak %d calls; chunks per consumer %s%n",
                        i + 1,
                        job.endToEnd(),
                        job.upload(),
                        job.prep(),
                        job.chunk(),
                        job.toFirstCall(),
                        job.transcribePhase(),
                        job.resultsOut(),
                        job.assembly(),
                        job.statusView(),
                        job.peakConcurrency(),
                        job.chunksPerConsumer());
            }
            noLateRequests(api, config.chunks());
            // Counts per consumer are only true if nobody rebalanced while the jobs ran.
            if (!owners.equals(awaitBalancedGroup(admin, config.consumers()))) {
                throw new IllegalStateException(
                        "The transcribe group rebalanced during the runs; chunks per consumer " + "cannot be trusted");
            }
            return jobs;
        } finally {
            hark.close();
        }
    }

    private static String[] harkArgs(Config config, FakeTranscriptionApi api) {
        return StandInEngine.settings(
                api,
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                // Neither guard may be what limits the calls: this measures the consumers.
                "--hark.openai.max-concurrent-calls=" + Math.max(config.consumers(), 1),
                "--hark.transcribe.concurrency=" + config.consumers(),
                // One chunk per slot: the planner's parallelism rule (one chunk per consumer it is
                // told about) decides the length, the minimum does not get in its way, and a
                // one-second window finds the pause at the end of each slot. chunk-seconds stays at
                // its default (20 min): set to the slot length, every cut that moves back to a pause
                // left the rest a little over a whole number of slots, and 10 slots became 12 chunks.
                "--hark.prep.parallelism=" + config.chunks(),
                "--hark.prep.min-chunk-seconds=1",
                "--hark.prep.cut-window-seconds=1");
    }

    /** Uploads, follows the status to completed, and checks every chunk reached the API exactly once. */
    private Job job(
            Config config,
            String base,
            Path recording,
            FakeTranscriptionApi api,
            KafkaConsumer<String, byte[]> events,
            Map<Integer, Integer> owners)
            throws Exception {
        Instant sent = Instant.now();
        long nodeId = upload(base, recording);
        Duration timeout = Duration.ofMillis(config.sequentialMillis() * 3).plusMinutes(2);
        JsonNode status = awaitCompleted(base, nodeId, sent.plus(timeout));
        Instant completed = Instant.now();

        int total = status.path("chunks_total").asInt(-1);
        if (total != config.chunks()) {
            throw new IllegalStateException("The planner made " + total + " chunks of node " + nodeId + ", not "
                    + config.chunks() + "; the table would not mean what it says");
        }
        List<RecordedRequest> requests = api.requests();
        checkEachChunkOnce(requests, total, nodeId);
        Instant firstArrival = requests.stream()
                .map(RecordedRequest::arrivedAt)
                .min(Comparator.naturalOrder())
                .get();
        Instant lastAnswer = requests.stream()
                .map(RecordedRequest::answeredAt)
                .max(Comparator.naturalOrder())
                .get();

        Timeline timeline = timeline(events, nodeId, total);
        Map<Integer, Integer> load = chunksPerConsumer(timeline.chunkPartitions(), owners);
        int most = load.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Job(
                millis(sent, completed),
                millis(sent, timeline.uploaded()),
                millis(timeline.uploaded(), timeline.prepared()),
                millis(timeline.prepared(), timeline.firstChunk()),
                millis(timeline.firstChunk(), firstArrival),
                millis(firstArrival, lastAnswer),
                millis(lastAnswer, timeline.lastTranscribed()),
                millis(timeline.lastTranscribed(), timeline.assembled()),
                millis(timeline.assembled(), completed),
                api.peakConcurrency(),
                most,
                load.isEmpty() ? "?" : load.values().toString());
    }

    /** Fails loudly unless the API saw one successful request per chunk and no chunk twice. */
    private static void checkEachChunkOnce(List<RecordedRequest> requests, int chunks, long nodeId) {
        Map<String, Integer> perFile = new TreeMap<>();
        for (RecordedRequest request : requests) {
            if (request.status() != 200) {
                throw new IllegalStateException(
                        "The fake answered " + request.status() + " for node " + nodeId + ": " + request);
            }
            perFile.merge(request.fileName(), 1, Integer::sum);
        }
        if (requests.size() != chunks
                || perFile.size() != chunks
                || perFile.values().stream().anyMatch(n -> n != 1)) {
            throw new IllegalStateException("Node " + nodeId + " has " + chunks + " chunks but the API saw "
                    + requests.size() + " requests: " + perFile);
        }
    }

    /**
     * A chunk sent again after its job completed (a redelivery) would arrive after the job's own
     * check; it is caught here, before the next job forgets the requests.
     */
    private static void noLateRequests(FakeTranscriptionApi api, int chunks) {
        if (api.requestCount() != chunks) {
            throw new IllegalStateException("The API saw " + api.requestCount() + " requests for a job of " + chunks
                    + " chunks by the time the next one started: " + api.requests());
        }
    }

    /** A fresh account per Hark start (accounts are on), signed in once: "Bearer <token>". */
    private String signIn(String base) throws IOException, InterruptedException {
        if (!base.equals(signedInAt)) {
            String body = "{\"username\":\"bench-" + System.nanoTime() + "\",\"password\":\"benchmark secret\"}";
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/auth/register"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("Sign-up answered " + answer.statusCode() + ": " + answer.body());
            }
            authorization =
                    "Bearer " + json.readTree(answer.body()).path("token").asString();
            signedInAt = base;
        }
        return authorization;
    }

    private long upload(String base, Path recording) throws IOException, InterruptedException {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio_file\"; filename=\""
                        + recording.getFileName() + "\"\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/nodes"))
                .header("Authorization", signIn(base))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, Files.readAllBytes(recording), tail)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Upload answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("id").asLong();
    }

    private JsonNode awaitCompleted(String base, long nodeId, Instant deadline) throws Exception {
        HttpRequest poll = HttpRequest.newBuilder(URI.create(base + "/api/nodes/" + nodeId + "/transcription-status"))
                .header("Authorization", signIn(base))
                .GET()
                .build();
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = http.send(poll, HttpResponse.BodyHandlers.ofString());
            // 404 right after the upload: the status view has not folded the event yet, so pending.
            if (response.statusCode() == 200) {
                JsonNode status = json.readTree(response.body());
                String state = status.path("status").asString();
                if ("completed".equals(state)) {
                    return status;
                }
                if ("failed".equals(state)) {
                    throw new IllegalStateException("Node " + nodeId + " failed: "
                            + status.path("error").asString());
                }
            } else if (response.statusCode() != 404) {
                throw new IllegalStateException("Status answered " + response.statusCode() + ": " + response.body());
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("Node " + nodeId + " did not complete by " + deadline);
    }

    /**
     * A reader of every Hark topic, to see when each step's event was published and which
     * partition each chunk went to; without a group, so it neither joins nor disturbs Hark's consumers.
     */
    private static KafkaConsumer<String, byte[]> eventReader(String bootstrap) {
        return new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * When each step of one job was published (the records' create time, set by the producer as it
     * sends), and the partition of each chunk.
     */
    private record Timeline(
            Instant uploaded,
            Instant prepared,
            Instant firstChunk,
            Instant lastTranscribed,
            Instant assembled,
            Map<Integer, Integer> chunkPartitions) {}

    private Timeline timeline(KafkaConsumer<String, byte[]> events, long nodeId, int chunks) {
        if (events.assignment().isEmpty()) {
            // The topics exist once Hark has started; assigned rather than subscribed, so no group.
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : Topics.ALL) {
                events.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            events.assign(partitions);
        }
        Map<Class<?>, Instant> first = new HashMap<>();
        Map<Class<?>, Instant> last = new HashMap<>();
        Map<Integer, Integer> chunkPartitions = new TreeMap<>();
        Instant deadline = Instant.now().plusSeconds(10);
        // The status said completed, so everything up to TranscriptAssembled is in the log already.
        while (!(last.containsKey(TranscriptAssembled.class) && chunkPartitions.size() == chunks)
                && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(200))) {
                HarkEvent event = EventRecords.decode(codec, record);
                if (event.nodeId() != nodeId) {
                    continue;
                }
                Instant published = Instant.ofEpochMilli(record.timestamp());
                first.merge(event.getClass(), published, (a, b) -> a.isBefore(b) ? a : b);
                last.merge(event.getClass(), published, (a, b) -> a.isAfter(b) ? a : b);
                if (event instanceof ChunkReady chunk) {
                    chunkPartitions.put(chunk.chunkIndex(), record.partition());
                }
            }
        }
        if (!last.containsKey(TranscriptAssembled.class) || chunkPartitions.size() != chunks) {
            throw new IllegalStateException("Found " + chunkPartitions.size() + " of " + chunks + " chunks of node "
                    + nodeId + " and events " + last.keySet() + " on the topics");
        }
        return new Timeline(
                first.get(AudioUploaded.class),
                first.get(AudioPrepared.class),
                first.get(ChunkReady.class),
                last.get(ChunkTranscribed.class),
                first.get(TranscriptAssembled.class),
                chunkPartitions);
    }

    /**
     * Chunks of one job per transcribe consumer, from the partitions its chunks were published to
     * and which consumer owns each partition. Empty when the owners are not known (the warm-up).
     */
    private static Map<Integer, Integer> chunksPerConsumer(
            Map<Integer, Integer> chunkPartitions, Map<Integer, Integer> owners) {
        Map<Integer, Integer> load = new TreeMap<>();
        if (owners.isEmpty()) {
            return load;
        }
        for (int consumer : new HashSet<>(owners.values())) {
            load.put(consumer, 0); // a consumer that got no chunk counts too
        }
        chunkPartitions.values().forEach(partition -> load.merge(owners.get(partition), 1, Integer::sum));
        return load;
    }

    /**
     * Waits until the transcribe group is stable with every consumer of this process holding
     * partitions, and says which consumer (numbered by member id) owns each partition.
     */
    private static Map<Integer, Integer> awaitBalancedGroup(Admin admin, int consumers) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String seen = "nothing";
        while (Instant.now().isBefore(deadline)) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(TRANSCRIBE_GROUP))
                    .describedGroups()
                    .get(TRANSCRIBE_GROUP)
                    .get();
            List<MemberDescription> members = new ArrayList<>(group.members());
            members.sort(Comparator.comparing(MemberDescription::consumerId));
            Map<Integer, Integer> owners = new TreeMap<>();
            for (int i = 0; i < members.size(); i++) {
                for (TopicPartition partition : members.get(i).assignment().topicPartitions()) {
                    owners.put(partition.partition(), i);
                }
            }
            seen = group.groupState() + " with " + members.size() + " members owning " + owners.size() + " partitions";
            if (group.groupState() == GroupState.STABLE
                    && members.size() == consumers
                    && new HashSet<>(owners.values()).size() == consumers) {
                return owners;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "The transcribe group did not settle with " + consumers + " consumers: " + seen);
    }

    private static void printTable(int runs, Map<Config, List<Job>> results, long seconds) {
        System.out.printf(
                Locale.ROOT,
                "%nMedians of %d runs per row after one warm-up job (whole bench %d s). "
                        + "Phase = first request at the API to last answer; before/after = upload sent to first request, "
                        + "last answer to status completed.%n%n",
                runs,
                seconds);
        System.out.println(
                "| L | N | C | End to end | Ideal ⌈N/C⌉·L | Sequential N·L | Overhead | × ideal "
                        + "| Transcribe phase | Before first call | After last answer | Peak calls | Most chunks on one consumer |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach((config, jobs) -> {
            long endToEnd = median(jobs, Job::endToEnd);
            System.out.printf(
                    Locale.ROOT,
                    "| %.0f s | %d | %d | %.2f s | %.0f s | %.0f s | %d ms | %.2f "
                            + "| %.2f s | %d ms | %d ms | %d | %d (⌈N/C⌉ = %d) |%n",
                    config.latency().toMillis() / 1000.0,
                    config.chunks(),
                    config.consumers(),
                    endToEnd / 1000.0,
                    config.idealMillis() / 1000.0,
                    config.sequentialMillis() / 1000.0,
                    endToEnd - config.idealMillis(),
                    (double) endToEnd / config.idealMillis(),
                    median(jobs, Job::transcribePhase) / 1000.0,
                    median(jobs, Job::beforeFirstCall),
                    median(jobs, Job::afterLastAnswer),
                    median(jobs, Job::peakConcurrency),
                    jobs.stream().mapToInt(Job::mostChunksOnOneConsumer).max().orElse(0),
                    (int) Math.ceil((double) config.chunks() / config.consumers()));
        });
        System.out.println();
        System.out.println("Where the overhead goes (medians, ms; the phase's excess is the transcribe phase minus the "
                + "ideal):");
        System.out.println();
        System.out.println("| L | N | C | Upload | Prep | Chunk | To first call | Phase − ideal | Results out "
                + "| Assembly | Status view |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach((config, jobs) -> System.out.printf(
                Locale.ROOT,
                "| %.0f s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n",
                config.latency().toMillis() / 1000.0,
                config.chunks(),
                config.consumers(),
                median(jobs, Job::upload),
                median(jobs, Job::prep),
                median(jobs, Job::chunk),
                median(jobs, Job::toFirstCall),
                median(jobs, Job::transcribePhase) - config.idealMillis(),
                median(jobs, Job::resultsOut),
                median(jobs, Job::assembly),
                median(jobs, Job::statusView)));
    }

    private static long median(List<Job> jobs, ToLongFunction<Job> metric) {
        long[] values = jobs.stream().mapToLong(metric).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    /** A run leaves a broker log, a database and the jobs' audio behind, some hundreds of MB. */
    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temp folder; the system clears it eventually
        }
    }
}

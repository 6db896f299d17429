package hark.status.rebuild;

import hark.platform.kafka.EventRecords;
import hark.platform.kafka.HarkKafkaProperties;
import hark.platform.storage.TranscriptTexts;
import hark.schemas.EventCodec;
import hark.schemas.EventDecodingException;
import hark.schemas.HarkEvent;
import hark.status.StatusServiceConfiguration;
import hark.status.view.StatusProjection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rebuilds the status view from the Kafka topics alone, into a fresh copy of its tables, and
 * swaps the copy in. The view is a fold of the log, so this is how a fix to the projection
 * reaches jobs that were folded before it, and how a damaged view is repaired.
 *
 * <ol>
 *   <li>The live listener stops, so the view holds still and the consumer group empties.</li>
 *   <li>The end offsets of its topics are taken; everything below them is folded into
 *       {@code status_rebuild} in log order (see {@link LogReplay}).</li>
 *   <li>One transaction swaps the copy in for the live tables.</li>
 *   <li>The group's offsets are set to those end offsets, so the listener carries on with exactly
 *       the first record the rebuild did not fold.</li>
 *   <li>The listener starts again, whatever happened.</li>
 * </ol>
 */
@Component
public class RebuildStatusView {

    private static final Logger log = LoggerFactory.getLogger(RebuildStatusView.class);

    static final String COPY_SCHEMA = "status_rebuild";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READ_STALL_LIMIT = Duration.ofSeconds(60);

    private final KafkaListenerEndpointRegistry listeners;
    private final ConsumerFactory<String, byte[]> consumers;
    private final ConnectionFactory connections;
    private final KafkaAdmin kafkaAdmin;
    private final EventCodec codec;
    private final ViewCopy copy;
    private final StatusProjection projection;
    private final String listenerId;
    private final Duration groupEmptyTimeout;
    /** One rebuild at a time in this process: two would fold into and swap the same copy schema. */
    private final ReentrantLock running = new ReentrantLock();

    public RebuildStatusView(
            KafkaListenerEndpointRegistry listeners,
            ConsumerFactory<String, byte[]> consumers,
            ConnectionFactory connections,
            KafkaAdmin kafkaAdmin,
            EventCodec codec,
            DatabaseClient db,
            TransactionalOperator tx,
            JsonMapper json,
            TranscriptTexts texts,
            HarkKafkaProperties kafka,
            // How long the group may take to empty once the listener stopped (it leaves at once).
            @Value("${hark.status.rebuild.group-empty-timeout:30s}") Duration groupEmptyTimeout) {
        this.listeners = listeners;
        this.consumers = consumers;
        this.connections = connections;
        this.kafkaAdmin = kafkaAdmin;
        this.codec = codec;
        this.copy = new ViewCopy(db, tx, StatusServiceConfiguration.SCHEMA.name(), COPY_SCHEMA);
        // No metrics: the live view counted these jobs when they ended; a rebuild must not count them again.
        this.projection = new StatusProjection(db, tx, json, texts, COPY_SCHEMA, job -> {});
        // The id StatusListener's @KafkaListener declares.
        this.listenerId = kafka.groupPrefix() + "-status";
        this.groupEmptyTimeout = groupEmptyTimeout;
    }

    /** Blocking; seconds to minutes, depending on the length of the log. */
    public RebuildSummary rebuild() {
        if (!running.tryLock()) {
            throw new RebuildRefused("A rebuild of the status view is already running.");
        }
        try (DatabaseLock ignored = DatabaseLock.tryTake(connections)) {
            return rebuildHoldingLock();
        } finally {
            running.unlock();
        }
    }

    private RebuildSummary rebuildHoldingLock() {
        long started = System.nanoTime();
        MessageListenerContainer container = listeners.getListenerContainer(listenerId);
        if (container == null) {
            throw new IllegalStateException("No listener container " + listenerId + " to pause for the rebuild");
        }
        String group = container.getGroupId() != null ? container.getGroupId() : listenerId;
        String[] topics = container.getContainerProperties().getTopics();
        if (topics == null || topics.length == 0) {
            throw new IllegalStateException("The listener " + listenerId + " names no topics");
        }
        boolean wasRunning = container.isRunning();
        log.info("Rebuilding the status view from {}: stopping listener {}", List.of(topics), listenerId);
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            stop(container);
            // Another member (a second status-service) would keep folding into the old tables
            // and committing past our end offsets: its work would be lost in the swap.
            awaitNoMembers(admin, group);

            Map<TopicPartition, Long> end;
            long[] skipped = {0};
            long records;
            try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, COPY_SCHEMA, null, readAll())) {
                List<TopicPartition> partitions = partitionsOf(consumer, topics);
                // Assigned before asking for offsets: the client then keeps what it learns about them.
                consumer.assign(partitions);
                end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
                refuseIfTruncated(consumer.beginningOffsets(partitions, KAFKA_TIMEOUT));
                copy.create().block();
                records = new LogReplay(consumer, end, READ_STALL_LIMIT).forEach(record -> {
                    HarkEvent event;
                    try {
                        event = EventRecords.decode(codec, record);
                    } catch (EventDecodingException e) {
                        // The live listener dead-letters these at once; they never reached the view.
                        skipped[0]++;
                        log.warn(
                                "Rebuild skips {}-{}@{}: {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e.getMessage());
                        return;
                    }
                    fold(event, record);
                });
            }
            long jobs = copy.jobs().block();
            copy.swapIn().block();
            log.info("Status view rebuilt from {} records ({} skipped): {} jobs", records, skipped[0], jobs);
            commitOffsets(admin, group, end);
            return new RebuildSummary(
                    records, skipped[0], jobs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            // After a swap the copy schema is gone and this does nothing; after a failure it clears
            // the half-built copy. The live tables are untouched either way.
            dropCopyQuietly();
            if (wasRunning) {
                container.start();
                log.info("Listener {} started again", listenerId);
            }
        }
    }

    /** Blocks per record, as the live listener does: the projection reads what it wrote before. */
    private void fold(HarkEvent event, ConsumerRecord<String, byte[]> record) {
        try {
            projection.apply(event).block();
        } catch (RuntimeException e) {
            // Not skipped: a database that fails here would otherwise swap in a view with holes.
            throw new IllegalStateException(
                    "Could not fold " + record.topic() + "-" + record.partition() + "@" + record.offset()
                            + " into the rebuilt view: " + e.getMessage(),
                    e);
        }
    }

    private static void stop(MessageListenerContainer container) {
        CountDownLatch stopped = new CountDownLatch(1);
        container.stop(stopped::countDown);
        try {
            if (!stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || container.isRunning()) {
                throw new IllegalStateException("The status listener did not stop within " + STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the status listener", e);
        }
    }

    private void awaitNoMembers(Admin admin, String group) {
        long deadline = System.nanoTime() + groupEmptyTimeout.toNanos();
        Collection<MemberDescription> members = members(admin, group);
        while (!members.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new RebuildRefused("Consumer group " + group + " still has members "
                        + members.stream()
                                .map(m -> m.clientId() + "@" + m.host())
                                .toList() + " (another status-service?);"
                        + " stop them first: a rebuild needs the view to hold still.");
            }
            sleep(Duration.ofMillis(200));
            members = members(admin, group);
        }
    }

    private static Collection<MemberDescription> members(Admin admin, String group) {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return description.members();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw new IllegalStateException("Could not describe consumer group " + group, e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Could not describe consumer group " + group, e);
        }
    }

    private static List<TopicPartition> partitionsOf(Consumer<String, byte[]> consumer, String[] topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " has no partitions (does it exist?)");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        return partitions;
    }

    /**
     * A log whose oldest records were deleted (retention) no longer holds every job: rebuilding
     * from it and swapping would drop those jobs from the view for good.
     */
    private static void refuseIfTruncated(Map<TopicPartition, Long> beginning) {
        List<String> truncated = beginning.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " starts at " + e.getValue())
                .sorted()
                .toList();
        if (!truncated.isEmpty()) {
            throw new RebuildRefused("The topics no longer hold every event (" + String.join(", ", truncated)
                    + "); a view rebuilt from them would lose jobs, so the live view stays as it is.");
        }
    }

    /**
     * The live listener is stopped and the rebuilt view holds everything below {@code end}. If
     * this fails (a member joined meanwhile), the listener re-reads from where it stopped: the
     * rebuilt processed_events holds every folded event id, so those records change nothing.
     */
    private static void commitOffsets(Admin admin, String group, Map<TopicPartition, Long> end) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        end.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        try {
            admin.alterConsumerGroupOffsets(group, offsets).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn(
                    "Could not move group {} to the rebuild's end offsets; it re-reads from where it stopped"
                            + " (repeats are skipped): {}",
                    group,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while moving group {} to the rebuild's end offsets", group);
        }
    }

    /** The shared consumer settings (servers, security, deserializers), tuned for reading a log through. */
    private static Properties readAll() {
        Properties overrides = new Properties();
        // The services take one record per poll; a rebuild reading the whole log wants batches.
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        // Assigned partitions, no group: nothing of the rebuild's reading may be committed anywhere.
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return overrides;
    }

    private void dropCopyQuietly() {
        try {
            copy.drop().block();
        } catch (RuntimeException e) {
            log.warn("Could not drop schema {} after the rebuild: {}", COPY_SCHEMA, e.toString());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}

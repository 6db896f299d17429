package hark.status.ops;

import hark.platform.PeriodicTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records waiting for each Hark stage (the original design's queue length): per consumer group,
 * the sum over its partitions of end offset minus committed offset. Measured on a schedule of its
 * own and kept, so a scrape or the admin page only reads the last figures and never waits on the
 * broker. Partitions a group has never committed on are not counted: a stage that has never run
 * shows 0 here, not its backlog.
 */
public class ConsumerLag extends PeriodicTask {

    /** The stage groups, {@code <prefix>-<stage>}, as each service's listener names them. */
    public static final List<String> STAGES = List.of("prep", "chunk", "transcribe", "assemble", "status", "nodes");

    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final Map<String, String> groupByStage = new LinkedHashMap<>();
    /** Stage to lag; a stage is absent until it has been measured once. Replaced whole, never changed. */
    private volatile Map<String, Long> lagByStage = Map.of();

    /** Measures at start and then every {@code interval}; a failed measurement keeps the last figures. */
    public ConsumerLag(Admin admin, String groupPrefix, MeterRegistry registry, Duration interval) {
        super("hark-consumer-lag", Duration.ZERO, interval);
        this.admin = admin;
        for (String stage : STAGES) {
            String group = groupPrefix + "-" + stage;
            groupByStage.put(stage, group);
            // NaN (unknown) until the first measurement, rather than a reassuring 0.
            Gauge.builder("hark.consumer.lag", this, lag -> lag.valueOf(stage))
                    .tag("group", group)
                    .description("Records the stage's consumer group has yet to process")
                    .register(registry);
        }
    }

    /** Last measured lag of each stage, in stage order; stages not yet measured are missing. */
    public Map<String, Long> byStage() {
        Map<String, Long> current = lagByStage;
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String stage : STAGES) {
            if (current.containsKey(stage)) {
                ordered.put(stage, current.get(stage));
            }
        }
        return ordered;
    }

    private double valueOf(String stage) {
        Long lag = lagByStage.get(stage);
        return lag == null ? Double.NaN : lag;
    }

    @Override
    protected void runOnce() {
        try {
            refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The broker may be down for a while; health says so, and the next round tries again.
            log.warn("Could not measure consumer lag: {}", e.toString());
        }
    }

    void refresh() throws Exception {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groupByStage.values().forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(
                        specs, new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs()))
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed
                .values()
                .forEach(offsets -> offsets.forEach((partition, offset) -> {
                    if (offset != null) {
                        latest.put(partition, OffsetSpec.latest());
                    }
                }));
        Map<TopicPartition, ListOffsetsResultInfo> ends = latest.isEmpty()
                ? Map.of()
                : admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(timeoutMs()))
                        .all()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        Map<String, Long> measured = new HashMap<>();
        groupByStage.forEach((stage, group) -> measured.put(stage, lag(committed.getOrDefault(group, Map.of()), ends)));
        lagByStage = Collections.unmodifiableMap(measured);
    }

    private static long lag(
            Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, ListOffsetsResultInfo> ends) {
        long total = 0;
        for (var entry : committed.entrySet()) {
            ListOffsetsResultInfo end = ends.get(entry.getKey());
            if (entry.getValue() != null && end != null) {
                // A commit can briefly run ahead of the end we read a moment earlier: never negative.
                total += Math.max(0, end.offset() - entry.getValue().offset());
            }
        }
        return total;
    }

    private static int timeoutMs() {
        return (int) TIMEOUT.toMillis();
    }
}

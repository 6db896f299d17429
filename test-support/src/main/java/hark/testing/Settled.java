package hark.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * Waits until Hark has done everything it will do with what is on its topics: every consumer
 * group of Hark has read to the end of every partition it reads, and every outbox is empty.
 * Only then may a test assert that something did <em>not</em> happen (no second transcript, no
 * second call to the engine): watching for a while proves nothing on a slow machine.
 *
 * <p>Why both, and twice: a stage commits its input's offset after its outbox row, so at lag 0
 * an event it caused may still wait in the outbox; once that is sent, the topic's end moves and
 * the lag is no longer 0. So the check passes only when lag is 0 and every outbox empty in two
 * looks in a row with no new record on any partition in between.
 */
public final class Settled {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Settled() {}

    /** {@code database} opens a connection to the database whose outbox tables to watch. */
    public static void await(String bootstrapServers, Database database) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Look[] last = {null};
            Awaitility.await()
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Look now = look(admin, database);
                        boolean settled = now.quiet() && now.equals(last[0]);
                        last[0] = now;
                        return settled;
                    });
        }
    }

    @FunctionalInterface
    public interface Database {
        Connection connect() throws SQLException;
    }

    /** What Hark's groups have left to read, the topics' ends, and how many events wait in outboxes. */
    private record Look(long lag, Map<TopicPartition, Long> ends, long pending) {
        boolean quiet() {
            return lag == 0 && pending == 0;
        }
    }

    private static Look look(Admin admin, Database database)
            throws ExecutionException, InterruptedException, SQLException {
        List<String> groups = admin.listGroups().all().get().stream()
                .map(GroupListing::groupId)
                .filter(g -> g.startsWith("hark-"))
                .toList();
        Map<String, ConsumerGroupDescription> described =
                admin.describeConsumerGroups(groups).all().get();
        Set<TopicPartition> read = new HashSet<>();
        List<Map.Entry<TopicPartition, Long>> positions = new ArrayList<>();
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            // A partition assigned but never committed has been read from its beginning: not at all.
            Set<TopicPartition> partitions = new HashSet<>(offsets.keySet());
            described
                    .get(group)
                    .members()
                    .forEach(m -> partitions.addAll(m.assignment().topicPartitions()));
            for (TopicPartition p : partitions) {
                OffsetAndMetadata offset = offsets.get(p);
                positions.add(Map.entry(p, offset == null ? -1 : offset.offset()));
            }
            read.addAll(partitions);
        }
        Map<TopicPartition, Long> ends = offsets(admin, read, OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(admin, read, OffsetSpec.earliest());
        long lag = 0;
        for (var position : positions) {
            long from = position.getValue() < 0 ? starts.get(position.getKey()) : position.getValue();
            lag += ends.get(position.getKey()) - from;
        }
        return new Look(lag, ends, pendingOutboxEvents(database));
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        return admin
                .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Rows in every service's outbox table, whichever services share the database. */
    private static long pendingOutboxEvents(Database database) throws SQLException {
        try (Connection c = database.connect();
                Statement s = c.createStatement()) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs =
                    s.executeQuery("SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'")) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            long pending = 0;
            for (String schema : schemas) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".outbox")) {
                    rs.next();
                    pending += rs.getLong(1);
                }
            }
            return pending;
        }
    }
}

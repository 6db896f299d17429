package hark.standalone.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running inside this JVM.
 * Its logs live under {@code dataDir}, so unconsumed events are still there after a restart.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker, formatting {@code dataDir} the first time it is used.
     *
     * @param port the client port; 0 picks a free one
     */
    public static LocalKafkaBroker start(Path dataDir, int port) {
        Path logDir = dataDir.toAbsolutePath().resolve("logs");
        int clientPort = port == 0 ? freePort() : port;
        Properties config = serverConfig(logDir, clientPort, freePort());
        try {
            Files.createDirectories(logDir);
            if (!isFormatted(logDir)) {
                format(dataDir.toAbsolutePath(), config);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka storage in " + logDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        try {
            // Returns only once the broker is unfenced, i.e. ready for clients.
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new LocalKafkaBroker(server, HOST + ":" + clientPort);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    private static Properties serverConfig(Path logDir, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static voters (kraft.version 0) keep the controller address out of the stored metadata,
        // so the controller may come back on a different free port after a restart.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // Topics are declared by the application, never implied by a typo.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");

        // One node: internal topics must not ask for replicas that can never exist,
        // and one partition each is plenty while making the first consumer group fast.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");

        // Memory: the cleaner's dedupe buffer defaults to 128 MB of heap, and the thread pools
        // are sized for production hardware.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        return p;
    }

    private static boolean isFormatted(Path logDir) {
        return Files.exists(logDir.resolve("meta.properties"));
    }

    /**
     * Formats with Kafka's own storage tool (its {@code execute}, unlike {@code main}, never exits
     * the JVM). The cluster id is chosen once here; Kafka keeps it in meta.properties.
     */
    private static void format(Path dataDir, Properties config) throws IOException {
        Path configFile = dataDir.resolve("format.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "Written for kafka-storage format; not read at runtime");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(
                    new String[] {
                        "format",
                        "--config",
                        configFile.toString(),
                        "--cluster-id",
                        Uuid.randomUuid().toString()
                    },
                    printStream);
        } finally {
            Files.deleteIfExists(configFile);
        }
        if (exitCode != 0) {
            throw new IllegalStateException(
                    "Formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** Racy by nature (the port is released before Kafka binds it), acceptable for a local run. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }
}

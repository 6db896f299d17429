package hark.upload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on this machine, as a user's program would run one: it records each call and
 * answers each path from a script of statuses (then 200), or holds a call until released.
 */
final class LocalReceiver implements AutoCloseable {

    /** In a script: keep the caller waiting until {@link #release} (or ten minutes). */
    static final int HOLD = -1;

    /** Where a 3xx answer sends the caller. */
    static final String LANDED = "/landed";

    record Call(String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);

    LocalReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The statuses the path answers with, in turn; 200 once they are used up. */
    void script(String path, Integer... statuses) {
        scripts.put(path, new ArrayDeque<>(List.of(statuses)));
    }

    void release() {
        released.countDown();
    }

    synchronized List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        synchronized (this) {
            calls.add(new Call(path, Map.copyOf(exchange.getRequestHeaders()), body));
        }
        Deque<Integer> script = scripts.get(path);
        Integer status = script == null ? null : script.poll();
        int answer = status == null ? 200 : status;
        try {
            if (answer == HOLD) {
                released.await(10, TimeUnit.MINUTES);
                answer = 200;
            }
            if (answer >= 300 && answer < 400) {
                exchange.getResponseHeaders().set("Location", LANDED);
            }
            exchange.sendResponseHeaders(answer, -1);
        } catch (InterruptedException | IOException gone) {
            // the caller left while held: as a real receiver would, nothing more to do
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}

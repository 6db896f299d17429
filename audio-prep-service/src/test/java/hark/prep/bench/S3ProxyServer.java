package hark.prep.bench;

import hark.testing.S3Server;
import java.util.concurrent.CountDownLatch;

/**
 * {@link S3Server} (S3Proxy on a folder, bucket {@code hark}) as a process of its own, for
 * {@code bench/storage.sh}: the benchmarked JVM then holds Hark's side of S3 only, not the
 * server's. Prints {@code <endpoint> <pid>} on one line once it serves; stops, and removes its
 * folder (under {@code java.io.tmpdir}), on SIGTERM.
 */
public final class S3ProxyServer {

    private S3ProxyServer() {}

    public static void main(String[] args) throws InterruptedException {
        S3Server server = S3Server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println(server.endpoint() + " " + ProcessHandle.current().pid());
        System.out.flush();
        stopped.await();
    }
}

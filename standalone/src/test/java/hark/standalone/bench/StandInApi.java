package hark.standalone.bench;

import hark.testing.FakeTranscriptionApi;
import java.time.Duration;

/**
 * The stand-in of the transcription API on its own, for benchmarks that run Hark as a separate
 * process: {@code StandInApi <key> <seconds per chunk>} prints its base URL and answers until
 * killed. Run by {@code bench/fairness.sh}; not a test.
 */
public final class StandInApi {

    private StandInApi() {}

    public static void main(String[] args) throws InterruptedException {
        FakeTranscriptionApi api = FakeTranscriptionApi.start(args[0])
                .withLatency(Duration.ofMillis(Math.round(Double.parseDouble(args[1]) * 1000)));
        System.out.println(api.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}

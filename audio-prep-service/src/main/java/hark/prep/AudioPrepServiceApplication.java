package hark.prep;

import hark.platform.startup.FailedStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** audio-prep-service as its own process; its scan finds {@link AudioPrepServiceConfiguration}. */
@SpringBootApplication
public class AudioPrepServiceApplication {

    public static void main(String[] args) {
        // A failed start ends the process with the reason as its last line (FailedStart).
        FailedStart.runOrExit(new SpringApplication(AudioPrepServiceApplication.class), args);
    }
}

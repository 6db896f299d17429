package hark.prep;

import hark.platform.startup.FailedStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** audio-prep-service as its own process; its scan finds {@link AudioPrepServiceConfiguration}. */
@SpringBootApplication
public class AudioPrepServiceApplication {

    public static void main(String[] args) {
        // Whatever a failed start leaves running, the process ends, the reason its last line.
        FailedStart.runOrExit(new SpringApplication(AudioPrepServiceApplication.class), args);
    }
}

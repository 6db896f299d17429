package hark.transcribe;

import hark.platform.startup.FailedStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** transcribe-service as its own process; its scan finds {@link TranscribeServiceConfiguration}. */
@SpringBootApplication
public class TranscribeServiceApplication {

    public static void main(String[] args) {
        // Whatever a failed start leaves running, the process ends, the reason its last line.
        FailedStart.runOrExit(new SpringApplication(TranscribeServiceApplication.class), args);
    }
}

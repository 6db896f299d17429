package hark.status;

import hark.platform.startup.FailedStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** status-service as its own process; its scan finds {@link StatusServiceConfiguration}. */
@SpringBootApplication
public class StatusServiceApplication {

    public static void main(String[] args) {
        // A failed start ends the process with the reason as its last line (FailedStart).
        FailedStart.runOrExit(new SpringApplication(StatusServiceApplication.class), args);
    }
}

package hark.status;

import hark.platform.startup.FailedStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** status-service as its own process; its scan finds {@link StatusServiceConfiguration}. */
@SpringBootApplication
public class StatusServiceApplication {

    public static void main(String[] args) {
        // Whatever a failed start leaves running, the process ends, the reason its last line.
        FailedStart.runOrExit(new SpringApplication(StatusServiceApplication.class), args);
    }
}

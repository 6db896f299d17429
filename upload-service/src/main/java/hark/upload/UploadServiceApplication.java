package hark.upload;

import hark.platform.startup.FailedStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** upload-service as its own process; its scan finds {@link UploadServiceConfiguration}. */
@SpringBootApplication
public class UploadServiceApplication {

    public static void main(String[] args) {
        // A failed start ends the process with the reason as its last line (FailedStart).
        FailedStart.runOrExit(new SpringApplication(UploadServiceApplication.class), args);
    }
}

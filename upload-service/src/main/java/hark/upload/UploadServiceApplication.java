package hark.upload;

import hark.platform.startup.FailedStart;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** upload-service as its own process; its scan finds {@link UploadServiceConfiguration}. */
@SpringBootApplication
public class UploadServiceApplication {

    public static void main(String[] args) {
        // Whatever a failed start leaves running, the process ends, the reason its last line.
        FailedStart.runOrExit(new SpringApplication(UploadServiceApplication.class), args);
    }
}

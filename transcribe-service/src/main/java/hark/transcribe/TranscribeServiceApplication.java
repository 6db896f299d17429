package hark.transcribe;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** transcribe-service as its own process; its scan finds {@link TranscribeServiceConfiguration}. */
@SpringBootApplication
public class TranscribeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(TranscribeServiceApplication.class, args);
    }
}

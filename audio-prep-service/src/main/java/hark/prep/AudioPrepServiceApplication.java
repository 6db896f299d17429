package hark.prep;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** audio-prep-service as its own process; its scan finds {@link AudioPrepServiceConfiguration}. */
@SpringBootApplication
public class AudioPrepServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AudioPrepServiceApplication.class, args);
    }
}

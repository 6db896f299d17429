package hark.standalone;

import hark.prep.AudioPrepServiceConfiguration;
import hark.status.StatusServiceConfiguration;
import hark.transcribe.TranscribeServiceConfiguration;
import hark.upload.UploadServiceConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.nio.file.Path;
import java.util.Map;

/**
 * All four services in one process, each exactly as it runs alone, talking over real Kafka
 * topics: the laptop shape of Hark.
 */
@SpringBootApplication
@Import({UploadServiceConfiguration.class, AudioPrepServiceConfiguration.class,
        TranscribeServiceConfiguration.class, StatusServiceConfiguration.class})
public class Hark {

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path data = Path.of(env.getOrDefault("HARK_DATA", "data")).toAbsolutePath();
        OwnerOnlyFiles.ownerOnlyFolder(data);
        LocalInfrastructure infrastructure = LocalInfrastructure.start(data, env);
        ConfigurableApplicationContext context = run(data, infrastructure.settings(), args);
        // One hook, in order: the services stop before the broker and database they use.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            infrastructure.close();
        }, "hark-shutdown"));
    }

    public static ConfigurableApplicationContext run(Path data, Map<String, String> settings, String... args) {
        SpringApplication app = new SpringApplication(Hark.class);
        app.setRegisterShutdownHook(false);
        // Placed above the environment so the services reach what was started for them.
        settings.forEach(System::setProperty);
        System.setProperty("HARK_DATA", data.toString());
        if (System.getenv("HARK_JWT_SECRET") == null && System.getProperty("HARK_JWT_SECRET") == null) {
            System.setProperty("HARK_JWT_SECRET", OwnerOnlyFiles.secret(data.resolve("jwt-secret")));
        }
        return app.run(args);
    }
}

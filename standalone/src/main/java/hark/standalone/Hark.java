package hark.standalone;

import hark.platform.startup.FailedStart;
import hark.prep.AudioPrepServiceConfiguration;
import hark.status.StatusServiceConfiguration;
import hark.transcribe.TranscribeServiceConfiguration;
import hark.upload.UploadServiceConfiguration;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * All four services in one process, each exactly as it runs alone, talking over real Kafka
 * topics: the laptop shape of Hark.
 */
@SpringBootApplication
@Import({
    UploadServiceConfiguration.class,
    AudioPrepServiceConfiguration.class,
    TranscribeServiceConfiguration.class,
    StatusServiceConfiguration.class
})
public class Hark {

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path data = Path.of(env.getOrDefault("HARK_DATA", "data")).toAbsolutePath();
        LocalInfrastructure infrastructure = null;
        SpringApplication application;
        try {
            OwnerOnlyFiles.ownerOnlyFolder(data);
            infrastructure = LocalInfrastructure.start(data, env);
            application = application(data, infrastructure.settings());
        } catch (RuntimeException | Error e) {
            throw FailedStart.reportAndExit(e, infrastructure);
        }
        ConfigurableApplicationContext context;
        try {
            context = application.run(args);
        } catch (RuntimeException | Error e) {
            // Spring Boot has told what went wrong and closed the context; the broker and the
            // database would keep the JVM alive for good.
            throw FailedStart.exit(e, infrastructure);
        }
        LocalInfrastructure started = infrastructure;
        // One hook, in order: the services stop before the broker and database they use.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            context.close();
                            started.close();
                        },
                        "hark-shutdown"));
    }

    public static ConfigurableApplicationContext run(Path data, Map<String, String> settings, String... args) {
        return application(data, settings).run(args);
    }

    private static SpringApplication application(Path data, Map<String, String> settings) {
        SpringApplication app = new SpringApplication(Hark.class);
        app.setRegisterShutdownHook(false);
        // Placed above the environment so the services reach what was started for them.
        settings.forEach(System::setProperty);
        System.setProperty("HARK_DATA", data.toString());
        if (System.getenv("HARK_JWT_SECRET") == null && System.getProperty("HARK_JWT_SECRET") == null) {
            System.setProperty("HARK_JWT_SECRET", OwnerOnlyFiles.secret(data.resolve("jwt-secret")));
        }
        return app;
    }
}

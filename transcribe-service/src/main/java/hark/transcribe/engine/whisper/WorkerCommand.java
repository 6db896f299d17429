package hark.transcribe.engine.whisper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The command line that starts a {@link WhisperWorker}: this JVM's own {@code java}, on this
 * process's classes. Run from a Spring Boot jar ({@code java -jar hark.jar}, the images), the
 * classes are nested in the jar, so the worker is started through Boot's own launcher, which can
 * read them; run from plain class folders and jars (the tests), on the same class path.
 */
final class WorkerCommand {

    private static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private WorkerCommand() {}

    /** @param tmp the worker's temporary folder, where whisper-jni unpacks its native libraries */
    static List<String> of(Path model, int threads, Path tmp) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A 20-minute chunk is 77 MB of samples; the model itself lives outside the heap.
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.io.tmpdir=" + tmp);
        String classPath = System.getProperty("java.class.path");
        if (isBootJar(classPath)) {
            command.addAll(List.of("-cp", classPath, "-Dloader.main=" + WhisperWorker.class.getName(), BOOT_LAUNCHER));
        } else {
            command.addAll(List.of("-cp", classPath, WhisperWorker.class.getName()));
        }
        command.add(model.toString());
        command.add(Integer.toString(threads));
        return command;
    }

    private static boolean isBootJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !Files.isRegularFile(Path.of(classPath))) {
            return false;
        }
        try (JarFile file = new JarFile(classPath)) {
            return file.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }
}

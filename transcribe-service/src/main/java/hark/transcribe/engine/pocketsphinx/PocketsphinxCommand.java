package hark.transcribe.engine.pocketsphinx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the pocketsphinx 0.8 command line ({@code pocketsphinx_continuous}) and its US-English
 * model are installed. The defaults are where Debian's {@code pocketsphinx} and
 * {@code pocketsphinx-en-us} packages put them; other pocketsphinx releases (5.x, as Homebrew
 * ships) have a different command line and are not supported.
 *
 * @param executable the {@code pocketsphinx_continuous} program
 * @param modelDir   the folder holding {@code en-us/} (acoustic model), {@code en-us.lm.bin} and
 *                   {@code cmudict-en-us.dict}
 */
public record PocketsphinxCommand(Path executable, Path modelDir) {

    public static final Path DEBIAN_EXECUTABLE = Path.of("/usr/bin/pocketsphinx_continuous");
    public static final Path DEBIAN_MODEL_DIR = Path.of("/usr/share/pocketsphinx/model/en-us");

    private static final String INSTALL_HINT = "on Debian or Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us";

    public PocketsphinxCommand {
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(modelDir, "modelDir");
    }

    /**
     * The command at the given places, as settings arrive from the environment: a null or blank
     * value means the Debian location.
     */
    public static PocketsphinxCommand of(String executable, String modelDir) {
        return new PocketsphinxCommand(orDefault(executable, DEBIAN_EXECUTABLE), orDefault(modelDir, DEBIAN_MODEL_DIR));
    }

    /** The command at the Debian locations, when it and its model are installed there. */
    public static Optional<PocketsphinxCommand> detect() {
        return detect(null, null);
    }

    /** The command at the given places (null or blank: Debian's), when it and its model are there. */
    public static Optional<PocketsphinxCommand> detect(String executable, String modelDir) {
        PocketsphinxCommand command = of(executable, modelDir);
        return command.missing().isEmpty() ? Optional.of(command) : Optional.empty();
    }

    /**
     * What is not installed, in words a person can act on, or empty when everything is in place.
     * For an explicit engine choice that cannot be honoured, this is the start-up error to show.
     */
    public Optional<String> missing() {
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            return Optional.of("pocketsphinx_continuous is not installed at " + executable + " (" + INSTALL_HINT + ")");
        }
        // mdef is the file pocketsphinx itself looks for to recognise an acoustic model folder.
        for (Path file : List.of(acousticModel().resolve("mdef"), languageModel(), dictionary())) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                return Optional.of("The pocketsphinx US-English model is incomplete: " + file + " is missing ("
                        + INSTALL_HINT + ")");
            }
        }
        return Optional.empty();
    }

    public Path acousticModel() {
        return modelDir.resolve("en-us");
    }

    public Path languageModel() {
        return modelDir.resolve("en-us.lm.bin");
    }

    public Path dictionary() {
        return modelDir.resolve("cmudict-en-us.dict");
    }

    /**
     * The argument list for decoding raw 16 kHz 16-bit mono samples written to the program's
     * standard input, with word timings on standard output.
     */
    List<String> decodeStdin() {
        List<String> args = new ArrayList<>();
        args.add(executable.toString());
        // Not the WAV file itself: pocketsphinx 0.8 takes a file name ending in ".wav" to have a
        // fixed 44-byte header, but ffmpeg's chunks carry a LIST chunk before the samples, and any
        // other name is read as raw samples, header included. Hark sends the samples alone.
        args.addAll(List.of("-infile", "/dev/stdin", "-samprate", "16000"));
        args.addAll(List.of(
                "-hmm",
                acousticModel().toString(),
                "-lm",
                languageModel().toString(),
                "-dict",
                dictionary().toString()));
        args.addAll(List.of("-time", "yes"));
        return args;
    }

    private static Path orDefault(String value, Path fallback) {
        return value == null || value.isBlank() ? fallback : Path.of(value.strip());
    }
}

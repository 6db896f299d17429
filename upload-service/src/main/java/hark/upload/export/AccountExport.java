package hark.upload.export;

import hark.platform.audio.AudioSignature;
import hark.platform.audio.Container;
import hark.platform.storage.Storage;
import hark.platform.storage.TranscriptTexts;
import hark.platform.storage.TranscriptTexts.ChunkText;
import hark.platform.transcript.Subtitles;
import hark.platform.transcript.Subtitles.Cue;
import hark.upload.node.Node;
import hark.upload.node.TranscriptionState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a user gave Hark, as one ZIP: each note's recording (while stored), its transcript,
 * its subtitles where the engine gave timestamps, and {@code index.json} describing them. Written
 * to a file entry by entry, a recording copied by streaming, so memory stays flat at any size.
 */
public class AccountExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Storage storage;
    private final TranscriptTexts texts;

    public AccountExport(Storage storage, TranscriptTexts texts) {
        this.storage = storage;
        this.texts = texts;
    }

    public void write(String username, List<Node> nodes, OutputStream out) throws IOException {
        List<Map<String, Object>> index = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (Node node : nodes) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", node.id());
                entry.put("parent_id", node.parentId());
                entry.put("node_type", node.nodeType());
                entry.put("created_at", String.valueOf(node.createdAt()));
                entry.put("transcription_status", stateWord(node));
                String base = "notes/" + node.id();
                if (node.isAudio()
                        && node.audioDeletedAt() == null
                        && Files.exists(storage.resolve(node.audioPath()))) {
                    Path audio = storage.resolve(node.audioPath());
                    String extension = AudioSignature.recognise(audio)
                            .map(Container::extension)
                            .orElse("bin");
                    entry.put("recording", put(zip, base + "/recording." + extension, audio));
                }
                if (!node.isAudio() || node.transcriptionState() == TranscriptionState.COMPLETED) {
                    entry.put(
                            node.isAudio() ? "transcript" : "text",
                            put(zip, base + (node.isAudio() ? "/transcript.txt" : "/text.txt"), node.content()));
                }
                List<Cue> cues = cues(node);
                if (!cues.isEmpty() && node.transcriptionState() == TranscriptionState.COMPLETED) {
                    entry.put(
                            "subtitles",
                            List.of(
                                    put(zip, base + "/subtitles.srt", Subtitles.srt(cues)),
                                    put(zip, base + "/subtitles.vtt", Subtitles.vtt(cues))));
                }
                index.add(entry);
            }
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("username", username);
            whole.put("notes", index);
            zip.putNextEntry(new ZipEntry("index.json"));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(whole));
            zip.closeEntry();
        }
    }

    /**
     * The upload service's own word (running, completed, failed, cancelled), as the export has always
     * said it: "running" covers the API's pending and processing, which only the status service tells apart.
     */
    private static String stateWord(Node node) {
        return node.transcriptionState() == null
                ? null
                : node.transcriptionState().db();
    }

    /** The segments of the node's current job, read from the chunk texts the events point to. */
    private List<Cue> cues(Node node) throws IOException {
        if (node.transcriptionTaskId() == null) {
            return List.of();
        }
        Path dir = storage.texts(node.id()).resolve(node.transcriptionTaskId().toString());
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Cue> cues = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> chunks = files.filter(f -> f.getFileName().toString().matches("chunk-\\d+\\.json"))
                    .sorted()
                    .toList();
            for (int i = 0; i < chunks.size(); i++) {
                Optional<ChunkText> text = texts.readChunk(storage.relative(chunks.get(i)));
                int chunk = i;
                text.ifPresent(t -> t.segments()
                        .forEach(s -> cues.add(new Cue(chunk, s.startSeconds(), s.endSeconds(), s.text()))));
            }
        }
        return cues;
    }

    private static String put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        return name;
    }

    private static String put(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
        return name;
    }
}

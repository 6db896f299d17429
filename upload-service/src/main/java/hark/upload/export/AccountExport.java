package hark.upload.export;

import hark.platform.audio.AudioSignature;
import hark.platform.audio.Container;
import hark.platform.storage.TranscriptTexts;
import hark.platform.storage.TranscriptTexts.ChunkText;
import hark.platform.storage.objects.MissingObjectException;
import hark.platform.storage.objects.ObjectStore;
import hark.platform.transcript.Subtitles;
import hark.platform.transcript.Subtitles.Cue;
import hark.upload.node.Node;
import hark.upload.node.TranscriptionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a user gave Hark, as one ZIP: each note's recording (while stored), its transcript,
 * its subtitles where the engine gave timestamps, and {@code index.json} describing them (titles
 * included). Written to a file entry by entry, a recording copied by streaming, so memory stays
 * flat at any size.
 */
public class AccountExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectStore objects;
    private final TranscriptTexts texts;

    public AccountExport(ObjectStore objects, TranscriptTexts texts) {
        this.objects = objects;
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
                entry.put("title", node.title());
                entry.put("transcription_status", stateWord(node));
                String base = "notes/" + node.id();
                if (node.isAudio() && node.audioDeletedAt() == null && objects.exists(node.audioPath())) {
                    String recording = recording(zip, base, node.audioPath());
                    if (recording != null) {
                        entry.put("recording", recording);
                    }
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

    /**
     * The recording, named by what its content is, streamed from the store into the ZIP; null when
     * it went (erased, or expired) between the look and the read.
     */
    private String recording(ZipOutputStream zip, String base, String key) throws IOException {
        String extension;
        try {
            extension = AudioSignature.recognise(objects, key)
                    .map(Container::extension)
                    .orElse("bin");
        } catch (MissingObjectException gone) {
            return null;
        }
        String name = base + "/recording." + extension;
        try (InputStream in = objects.open(key)) {
            zip.putNextEntry(new ZipEntry(name));
            in.transferTo(zip);
            zip.closeEntry();
        } catch (MissingObjectException gone) {
            return null;
        }
        return name;
    }

    /** The segments of the node's current job, read from the chunk texts the events point to. */
    private List<Cue> cues(Node node) {
        if (node.transcriptionTaskId() == null) {
            return List.of();
        }
        List<String> chunks = texts.chunkKeys(node.id(), node.transcriptionTaskId());
        List<Cue> cues = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            Optional<ChunkText> text = texts.readChunk(chunks.get(i));
            int chunk = i;
            text.ifPresent(t ->
                    t.segments().forEach(s -> cues.add(new Cue(chunk, s.startSeconds(), s.endSeconds(), s.text()))));
        }
        return cues;
    }

    private static String put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        return name;
    }
}

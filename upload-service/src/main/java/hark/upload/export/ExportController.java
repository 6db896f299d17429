package hark.upload.export;

import hark.platform.security.Caller;
import hark.platform.storage.Disk;
import hark.platform.storage.Scratch;
import hark.platform.storage.Storage;
import hark.platform.storage.TranscriptTexts;
import hark.upload.node.Node;
import hark.upload.node.NodeRepository;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/auth/me/export}: a ZIP of everything the caller gave Hark (see
 * {@link AccountExport}), so that a user who can erase can take their data first. Built in a
 * file in this process's scratch folder (flat memory), streamed, then removed.
 */
@RestController
public class ExportController {

    private static final Logger log = LoggerFactory.getLogger(ExportController.class);
    private static final int CHUNK = 64 * 1024;

    private final NodeRepository nodes;
    private final Storage storage;
    private final AccountExport export;

    public ExportController(NodeRepository nodes, Storage storage, TranscriptTexts texts) {
        this.nodes = nodes;
        this.storage = storage;
        this.export = new AccountExport(storage.objects(), texts);
    }

    @ApiResponse(
            responseCode = "200",
            description = "Everything the caller gave Hark, as a zip file.",
            content = @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary")))
    @GetMapping("/api/auth/me/export")
    public Mono<ResponseEntity<Flux<DataBuffer>>> export() {
        return Caller.current()
                .flatMap(caller -> nodes.allOf(caller.userId())
                        .collectList()
                        .publishOn(Schedulers.boundedElastic())
                        .map(all -> {
                            Scratch scratch = storage.scratch(UUID.randomUUID());
                            Path zip = write(scratch, caller.userId(), all);
                            // Opened where it is subscribed, by the server on the event loop: subscribed off it.
                            Flux<DataBuffer> body = DataBufferUtils.read(
                                            zip, DefaultDataBufferFactory.sharedInstance, CHUNK)
                                    .subscribeOn(Schedulers.boundedElastic(), false)
                                    // Ended by the client going away too, on the event loop: removed off it.
                                    .doFinally(signal -> remove(scratch).subscribe());
                            return ResponseEntity.ok()
                                    .contentType(MediaType.parseMediaType("application/zip"))
                                    .header(
                                            HttpHeaders.CONTENT_DISPOSITION,
                                            ContentDisposition.attachment()
                                                    .filename("hark-export.zip")
                                                    .build()
                                                    .toString())
                                    .body(body);
                        }));
    }

    /** The ZIP, in a scratch folder of this process's own; the folder goes if the writing fails. */
    private Path write(Scratch scratch, String username, List<Node> all) {
        Path zip = scratch.dir().resolve("hark-export.zip");
        try (OutputStream out = Files.newOutputStream(zip)) {
            export.write(username, all, out);
            return zip;
        } catch (IOException | RuntimeException e) {
            scratch.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static Mono<Void> remove(Scratch scratch) {
        return Disk.call(() -> {
                    try {
                        scratch.close();
                    } catch (RuntimeException e) {
                        log.warn("Could not remove the export in {}: {}", scratch.dir(), e.getMessage());
                    }
                    return scratch;
                })
                .then();
    }
}

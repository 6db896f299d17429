package hark.upload.node;

import hark.platform.audio.AudioSignature;
import hark.platform.audio.Container;
import hark.platform.security.Caller;
import hark.platform.storage.Disk;
import hark.platform.storage.Storage;
import hark.platform.web.ApiException;
import hark.upload.UploadProperties;
import hark.upload.audio.AudioReceiver;
import hark.upload.audio.EventLoopDemand;
import hark.upload.audio.ReceivedUpload;
import hark.upload.audio.UploadAllowance;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The original design's node API: upload audio (or post text), and read a node back. Every node belongs to
 * the caller who made it; only they (or an admin) can read it, and a parent must be their own.
 */
@RestController
@RequestMapping("/api/nodes")
public class NodeController {

    private final AudioReceiver receiver;
    private final NodeRepository nodes;
    private final Storage storage;
    private final UploadProperties props;
    private final UploadAllowance allowance;

    public NodeController(
            AudioReceiver receiver,
            NodeRepository nodes,
            Storage storage,
            UploadProperties props,
            UploadAllowance allowance) {
        this.receiver = receiver;
        this.nodes = nodes;
        this.storage = storage;
        this.props = props;
        this.allowance = allowance;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Mono<ResponseEntity<NodeResponse>> uploadAudio(
            ServerHttpRequest request, @RequestBody Flux<PartEvent> parts) {
        // Refuse a declared oversize body before reading a byte of it.
        if (request.getHeaders().getContentLength() > props.maxUploadBytes() + 64 * 1024) {
            return Mono.error(receiver.tooLarge());
        }
        // The rate limit and the quota are checked before a byte is stored. The parts are asked for
        // on the connection's event loop: see EventLoopDemand for the race this avoids.
        return Caller.current()
                .flatMap(caller -> allowance
                        .take(caller.userId())
                        .then(allowance.fits(caller.userId(), 0))
                        .then(receiver.receive(EventLoopDemand.of(request, parts)))
                        .flatMap(upload -> createAudioNode(caller, upload)))
                .map(node -> ResponseEntity.created(URI.create("/api/nodes/" + node.id()))
                        .body(NodeResponse.of(node, node.transcriptionState().api())));
    }

    private Mono<Node> createAudioNode(Caller caller, ReceivedUpload upload) {
        UUID jobId = UUID.randomUUID();
        return allowance
                .fits(caller.userId(), upload.bytes())
                .then(Disk.call(() -> Files.move(
                        upload.file(), storage.original(jobId, upload.extension()), StandardCopyOption.ATOMIC_MOVE)))
                .flatMap(original -> parent(caller, upload.field("parent_id"))
                        .flatMap(parent -> nodes.insertAudio(
                                caller.userId(),
                                parent.orElse(null),
                                nodeType(upload.field("node_type")),
                                jobId,
                                storage.relative(original),
                                upload.mimeType(),
                                upload.bytes()))
                        .onErrorResume(e -> Disk.deleteQuietly(original).then(Mono.error(e))))
                .onErrorResume(e -> Disk.deleteQuietly(upload.file()).then(Mono.error(e)));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<NodeResponse>> createText(@RequestBody TextNodeRequest body) {
        if (body.content() == null || body.content().isBlank()) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "A text node needs some content"));
        }
        return Caller.current()
                .flatMap(caller -> parent(
                                caller,
                                body.parentId() == null ? null : body.parentId().toString())
                        .flatMap(parent -> nodes.insertText(
                                caller.userId(), parent.orElse(null), nodeType(body.nodeType()), body.content())))
                .map(node -> ResponseEntity.created(URI.create("/api/nodes/" + node.id()))
                        .body(NodeResponse.of(node, null)));
    }

    /** A new attempt of the node's failed transcription, on the recording already stored. */
    @PostMapping("/{id}/transcription/retry")
    public Mono<ResponseEntity<NodeResponse>> retry(@PathVariable long id) {
        return Caller.current()
                .flatMap(caller -> allowance.take(caller.userId()))
                .then(find(id))
                .filter(Node::isAudio)
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Node " + id + " has no audio")))
                .filterWhen(node -> Disk.exists(storage.resolve(node.audioPath())))
                .switchIfEmpty(Mono.error(new ApiException(
                        HttpStatus.GONE, "The recording of node " + id + " is no longer stored; upload it again")))
                .flatMap(node -> nodes.retry(id, UUID.randomUUID()))
                .switchIfEmpty(Mono.error(new ApiException(
                        HttpStatus.CONFLICT,
                        "Only a failed or cancelled" + " transcription can be retried, and node " + id
                                + "'s is neither")))
                .map(node -> ResponseEntity.accepted()
                        .body(NodeResponse.of(node, node.transcriptionState().api())));
    }

    /**
     * Cancels the node's pending or running transcription. Accepted, not done: the stages hear of
     * it through the event log, stop working on the job and remove its intermediate files.
     */
    @DeleteMapping("/{id}/transcription")
    public Mono<ResponseEntity<NodeResponse>> cancel(@PathVariable long id) {
        return Caller.current()
                .flatMap(caller -> find(id).filter(Node::isAudio)
                        .switchIfEmpty(
                                Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Node " + id + " has no audio")))
                        .flatMap(node -> nodes.cancel(id, caller.userId()))
                        .switchIfEmpty(
                                Mono.error(
                                        new ApiException(
                                                HttpStatus.CONFLICT,
                                                "Node " + id
                                                        + "'s transcription has already ended; only a pending or running one can be cancelled")))
                        .map(node -> ResponseEntity.accepted()
                                .body(NodeResponse.of(
                                        node, node.transcriptionState().api()))));
    }

    /**
     * Erases the node, the nodes under it and all of their recordings and transcripts, in every
     * service (see the README's "Erasure"). Done here at once: the node answers 404 from now on;
     * the files, the status view and the other services' rows follow within moments.
     */
    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> erase(@PathVariable long id) {
        return Caller.current()
                .flatMap(caller -> find(id).flatMapMany(node -> nodes.erase(id, caller.userId()))
                        .then(Mono.just(ResponseEntity.noContent().<Void>build())));
    }

    @GetMapping("/{id}")
    public Mono<NodeResponse> get(@PathVariable long id) {
        return find(id).map(node -> NodeResponse.of(node, null));
    }

    @GetMapping("/{id}/audio")
    public Mono<ResponseEntity<Resource>> audio(@PathVariable long id) {
        return find(id).filter(Node::isAudio)
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Node " + id + " has no audio")))
                .filter(node -> node.audioDeletedAt() == null)
                .switchIfEmpty(Mono.error(new ApiException(
                        HttpStatus.GONE,
                        "The recording of node " + id
                                + " was removed after the audio retention period; its transcript stays")))
                .flatMap(node -> Disk.call(() -> servedAudio(node)));
    }

    /**
     * The recording as what its content is, never as the type its uploader declared: one of a fixed
     * set of audio types, not to be sniffed, sandboxed if a browser opens it, under a name Hark made.
     */
    private ResponseEntity<Resource> servedAudio(Node node) throws IOException {
        Path file = storage.resolve(node.audioPath());
        Optional<Container> container = AudioSignature.recognise(file);
        if (container.isEmpty()) {
            // What passed the upload's check but is not audio underneath (an ID3 tag over a page,
            // say): still typed by its head, so never as a page.
            container = AudioSignature.recognise(head(file));
        }
        MediaType type =
                container.map(c -> MediaType.parseMediaType(c.mediaType())).orElse(MediaType.APPLICATION_OCTET_STREAM);
        String name = "recording-" + node.id()
                + container.map(c -> "." + c.extension()).orElse("");
        ContentDisposition disposition = (container.isPresent()
                        ? ContentDisposition.inline()
                        : ContentDisposition.attachment())
                .filename(name)
                .build();
        return ResponseEntity.ok()
                .contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .body(new FileSystemResource(file));
    }

    private static byte[] head(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(AudioSignature.HEAD_BYTES);
        }
    }

    /** The node, if the caller may read it: unknown → 404, someone else's → 403. */
    private Mono<Node> find(long id) {
        return Caller.current()
                .flatMap(caller -> nodes.find(id)
                        .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "No node " + id)))
                        .filter(node -> caller.mayRead(node.userId()))
                        .switchIfEmpty(
                                Mono.error(new ApiException(HttpStatus.FORBIDDEN, "Node " + id + " is not yours"))));
    }

    /**
     * A parent must be an existing node of the caller's; an absent or empty value means a root
     * node. Someone else's node gets the same answer as a missing one, so ids reveal nothing.
     */
    private Mono<Optional<Long>> parent(Caller caller, String value) {
        if (value == null || value.isBlank()) {
            return Mono.just(Optional.empty());
        }
        long id;
        try {
            id = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "parent_id must be a node id"));
        }
        return nodes.find(id)
                .filter(node -> node.userId().equals(caller.userId()))
                .map(node -> Optional.of(node.id()))
                .switchIfEmpty(Mono.error(new ApiException(
                        HttpStatus.BAD_REQUEST, "parent_id " + id + " does not name one of your nodes")));
    }

    private static String nodeType(String value) {
        if (value == null || value.isBlank()) {
            return "user";
        }
        if (!value.matches("[a-z_]{1,32}")) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "node_type must be a short lower-case word");
        }
        return value;
    }
}

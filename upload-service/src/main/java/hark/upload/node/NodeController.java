package hark.upload.node;

import hark.platform.audio.AudioSignature;
import hark.platform.audio.Container;
import hark.platform.security.Caller;
import hark.platform.storage.Disk;
import hark.platform.storage.Storage;
import hark.platform.storage.objects.ObjectStore;
import hark.platform.web.ApiException;
import hark.upload.UploadProperties;
import hark.upload.audio.AudioReceiver;
import hark.upload.audio.EventLoopDemand;
import hark.upload.audio.ReceivedUpload;
import hark.upload.audio.UploadAllowance;
import hark.upload.idempotency.IdempotencyKey;
import hark.upload.idempotency.IdempotencyKeys;
import hark.upload.idempotency.KeyTaken;
import hark.upload.webhook.CallbackUrls;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The original design's node API: upload audio (or post text), and read a node back. Every node belongs to
 * the caller who made it; only they (or an admin) can read it, and a parent must be their own.
 */
@RestController
@RequestMapping("/api/nodes")
public class NodeController {

    private static final Logger log = LoggerFactory.getLogger(NodeController.class);
    /** Bytes of a recording read from the store at a time, as the client takes them. */
    private static final int AUDIO_CHUNK = 64 * 1024;
    /** Marks the answer to an upload whose Idempotency-Key named an earlier one: nothing new was made. */
    static final String REPLAYED = "Idempotent-Replayed";
    /** The form field naming where to call when the job ends (see hark.upload.webhook). */
    public static final String CALLBACK_URL = "callback_url";

    private final AudioReceiver receiver;
    private final NodeRepository nodes;
    private final ObjectStore objects;
    private final UploadProperties props;
    private final UploadAllowance allowance;
    private final IdempotencyKeys keys;
    private final CallbackUrls callbackUrls;

    public NodeController(
            AudioReceiver receiver,
            NodeRepository nodes,
            Storage storage,
            UploadProperties props,
            UploadAllowance allowance,
            IdempotencyKeys keys,
            CallbackUrls callbackUrls) {
        this.receiver = receiver;
        this.nodes = nodes;
        this.objects = storage.objects();
        this.props = props;
        this.allowance = allowance;
        this.keys = keys;
        this.callbackUrls = callbackUrls;
    }

    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            description =
                    "The recording as the form field audio_file (mp3, mp4, mpeg, mpga, m4a, wav, webm, ogg, oga, opus, flac, aac). A JSON body instead makes a text node (TextNodeRequest).",
            content = {
                @Content(
                        mediaType = "multipart/form-data",
                        schemaProperties = {
                            @SchemaProperty(name = "audio_file", schema = @Schema(type = "string", format = "binary")),
                            @SchemaProperty(
                                    name = "title",
                                    schema =
                                            @Schema(
                                                    type = "string",
                                                    maxLength = NoteTitle.MAX_LENGTH,
                                                    description =
                                                            "The note's name (trimmed, no control characters); the file name without its extension when absent or blank.")),
                            @SchemaProperty(
                                    name = CALLBACK_URL,
                                    schema =
                                            @Schema(
                                                    type = "string",
                                                    format = "uri",
                                                    description =
                                                            "Called (signed) when the job ends; see /api/webhooks."))
                        }),
                @Content(mediaType = "application/json", schema = @Schema(implementation = TextNodeRequest.class))
            })
    @io.swagger.v3.oas.annotations.Parameter(
            name = "Idempotency-Key",
            in = io.swagger.v3.oas.annotations.enums.ParameterIn.HEADER,
            description = "The same key within 24 h answers the first upload's node (200) and starts no second job.")
    @ApiResponse(
            responseCode = "201",
            description = "The node, its transcription pending.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NodeResponse.class)))
    @ApiResponse(
            responseCode = "200",
            description = "An earlier upload with the same Idempotency-Key: its node.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NodeResponse.class)))
    @ApiResponse(responseCode = "409", description = "An upload with this Idempotency-Key is still being received.")
    @ApiResponse(
            responseCode = "413",
            description = "The recording is larger than this Hark takes, or than the storage quota has room for.")
    @ApiResponse(responseCode = "415", description = "Not a recording Hark can read.")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with a different body.")
    @ApiResponse(responseCode = "429", description = "Too many uploads a minute; see Retry-After.")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Mono<ResponseEntity<NodeResponse>> uploadAudio(
            ServerHttpRequest request, @RequestBody Flux<PartEvent> parts) {
        // Refuse a declared oversize body, or a bad key, before reading a byte of it.
        if (request.getHeaders().getContentLength() > props.maxUploadBytes() + 64 * 1024) {
            return Mono.error(receiver.tooLarge());
        }
        IdempotencyKey key = IdempotencyKey.of(request.getHeaders());
        // The rate limit and the quota are checked before a byte is stored. The parts are asked for
        // on the connection's event loop: see EventLoopDemand for the race this avoids.
        return Caller.current()
                .flatMap(caller -> allowance
                        .take(caller.userId())
                        .then(allowance.fits(caller.userId(), 0))
                        .then(receiver.receive(EventLoopDemand.of(request, parts), key != null))
                        .flatMap(upload -> key == null
                                ? createAudioNode(caller, upload, null).map(NodeController::created)
                                : keyedUpload(caller, upload, key)));
    }

    /**
     * An upload the client named with an Idempotency-Key: the node its first attempt made (200, marked
     * as a replay) when the key was used for the same upload in the last day, a 422 when for another;
     * else made as any upload, the key claimed with the node. A replayed upload is dropped unseen.
     * Of two requests with one key at the same moment, the one whose node is inserted first wins; the
     * other finds the key taken in its own insert (which then leaves nothing) and answers the winner's
     * node. A key whose node was erased is free again: its row went with the node.
     */
    private Mono<ResponseEntity<NodeResponse>> keyedUpload(Caller caller, ReceivedUpload upload, IdempotencyKey key) {
        var claim = new IdempotencyKeys.Claim(caller.userId(), key, upload.requestDigest());
        return keys.earlier(claim)
                .flatMap(nodes::find)
                .flatMap(node -> upload.abandon().thenReturn(replayed(node)))
                .switchIfEmpty(
                        Mono.defer(() -> createAudioNode(caller, upload, claim).map(NodeController::created)))
                .onErrorResume(
                        KeyTaken.class,
                        taken -> keys.earlier(claim)
                                .flatMap(nodes::find)
                                .map(NodeController::replayed)
                                // The winner's node was erased in the instant between: rare enough to ask for a retry.
                                .switchIfEmpty(Mono.error(new ApiException(
                                        HttpStatus.CONFLICT,
                                        "Another request with this " + IdempotencyKey.HEADER
                                                + " was being handled at the same moment; send it again"))))
                .onErrorResume(e -> upload.abandon().then(Mono.error(e)))
                .doOnCancel(() -> upload.abandon().subscribe());
    }

    private static ResponseEntity<NodeResponse> replayed(Node node) {
        return ResponseEntity.ok()
                .location(URI.create("/api/nodes/" + node.id()))
                .header(REPLAYED, "true")
                .body(NodeResponse.of(node, node.transcriptionState().api()));
    }

    private static ResponseEntity<NodeResponse> created(Node node) {
        return ResponseEntity.created(URI.create("/api/nodes/" + node.id()))
                .body(NodeResponse.of(node, node.transcriptionState().api()));
    }

    /**
     * Commits the received recording and makes its node, or leaves neither. Whatever can refuse the
     * upload (quota, parent, node type) is checked before the commit, so a refusal only aborts an
     * upload that was never visible. Once committed, the recording and its node are made whether or
     * not the client waits for the answer: a client that leaves then would otherwise cancel the
     * insert half-way, and leave a stored recording that no node names, or a node without it.
     */
    private Mono<Node> createAudioNode(Caller caller, ReceivedUpload upload, IdempotencyKeys.Claim claim) {
        return allowance
                .fits(caller.userId(), upload.bytes())
                .then(callbackUrl(caller, upload.field(CALLBACK_URL)))
                .flatMap(callback -> parent(caller, upload.field("parent_id")).flatMap(parent -> {
                    String type = nodeType(upload.field("node_type"));
                    String title = title(upload);
                    return Mono.fromFuture(
                            commitAndInsert(
                                            caller,
                                            upload,
                                            parent.orElse(null),
                                            type,
                                            callback.orElse(null),
                                            title,
                                            claim)
                                    .toFuture(),
                            true);
                }))
                // Before the commit this drops the upload; after it, it does nothing.
                .onErrorResume(e -> upload.abandon().then(Mono.error(e)))
                .doOnCancel(() -> upload.abandon().subscribe());
    }

    private Mono<Node> commitAndInsert(
            Caller caller,
            ReceivedUpload upload,
            Long parent,
            String type,
            String callbackUrl,
            String title,
            IdempotencyKeys.Claim claim) {
        String key = upload.key();
        // A commit that fails leaves nothing by itself; an insert that fails leaves the object.
        return Disk.call(upload::commit)
                .flatMap(size -> nodes.insertAudio(
                                caller.userId(),
                                parent,
                                type,
                                upload.jobId(),
                                key,
                                upload.mimeType(),
                                upload.bytes(),
                                callbackUrl,
                                title,
                                claim)
                        .onErrorResume(e -> deleteQuietly(key).then(Mono.error(e))));
    }

    /** Removing what a failed request stored is not that request's error; a failure here is logged. */
    private Mono<Void> deleteQuietly(String key) {
        return Disk.call(() -> {
                    try {
                        objects.delete(key);
                    } catch (RuntimeException e) {
                        log.warn("Could not remove {} after its node was not made: {}", key, e.getMessage());
                    }
                    return key;
                })
                .then();
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
    @ApiResponse(
            responseCode = "202",
            description = "A new job for the node.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NodeResponse.class)))
    @ApiResponse(
            responseCode = "200",
            description = "The node's new job.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NodeResponse.class)))
    @ApiResponse(responseCode = "409", description = "The node's job is still running.")
    @ApiResponse(responseCode = "410", description = "The recording is no longer stored.")
    @ApiResponse(responseCode = "429", description = "Too many uploads a minute; see Retry-After.")
    @PostMapping("/{id}/transcription/retry")
    public Mono<ResponseEntity<NodeResponse>> retry(@PathVariable long id) {
        return Caller.current()
                .flatMap(caller -> allowance.take(caller.userId()))
                .then(find(id))
                .filter(Node::isAudio)
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Node " + id + " has no audio")))
                .filterWhen(node -> Disk.call(() -> objects.exists(node.audioPath())))
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
    @ApiResponse(
            responseCode = "200",
            description = "The job is cancelled.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NodeResponse.class)))
    @ApiResponse(responseCode = "409", description = "The job has already ended.")
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
    @ApiResponse(responseCode = "204", description = "The node and everything under it are erased.", content = @Content)
    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Void>> erase(@PathVariable long id) {
        return Caller.current()
                .flatMap(caller -> find(id).flatMapMany(node -> nodes.erase(id, caller.userId()))
                        .then(Mono.just(ResponseEntity.noContent().<Void>build())));
    }

    /**
     * Renames the note. The list and the search (status-service) show the new title once its event
     * is folded, within moments.
     */
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true,
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RetitleRequest.class)))
    @ApiResponse(
            responseCode = "200",
            description = "The node with its new title.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = NodeResponse.class)))
    @ApiResponse(
            responseCode = "400",
            description = "No title, or a blank one, a longer one than 200 characters, or one with control characters.")
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<NodeResponse> retitle(@PathVariable long id, @RequestBody RetitleRequest body) {
        String title = NoteTitle.checked(body == null ? null : body.title());
        return find(id).flatMap(node -> nodes.retitle(id, title))
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "No node " + id)))
                .map(node -> NodeResponse.of(node, null));
    }

    @GetMapping("/{id}")
    public Mono<NodeResponse> get(@PathVariable long id) {
        return find(id).map(node -> NodeResponse.of(node, null));
    }

    /**
     * The recording, or the single byte range a player asks for when it seeks (206). The bytes go
     * through this service, also from a bucket, rather than as a redirect to a presigned address:
     * the bucket need not be reachable by browsers at all, and whether the caller may hear the
     * recording stays Hark's decision, made on every request, not a link valid for a while to
     * whoever holds it.
     */
    @ApiResponse(
            responseCode = "200",
            description = "The recording.",
            content = @Content(mediaType = "audio/*", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(
            responseCode = "206",
            description = "The asked-for range of the recording.",
            content = @Content(mediaType = "audio/*", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "416", description = "The range is outside the recording.", content = @Content)
    @ApiResponse(responseCode = "410", description = "The recording is no longer stored.")
    @GetMapping("/{id}/audio")
    public Mono<ResponseEntity<Flux<DataBuffer>>> audio(@PathVariable long id, ServerHttpRequest request) {
        return find(id).filter(Node::isAudio)
                .switchIfEmpty(Mono.error(new ApiException(HttpStatus.NOT_FOUND, "Node " + id + " has no audio")))
                .filter(node -> node.audioDeletedAt() == null)
                .switchIfEmpty(Mono.error(new ApiException(
                        HttpStatus.GONE,
                        "The recording of node " + id
                                + " was removed after the audio retention period; its transcript stays")))
                .flatMap(node -> Disk.call(() -> servedAudio(node, request)));
    }

    /**
     * The recording as what its content is, never as the type its uploader declared: one of a fixed
     * set of audio types, not to be sniffed, sandboxed if a browser opens it, under a name Hark made.
     * Read as a stream of the range asked for, never whole: recordings run to hundreds of MB.
     */
    private ResponseEntity<Flux<DataBuffer>> servedAudio(Node node, ServerHttpRequest request) throws IOException {
        String key = node.audioPath();
        long size = objects.size(key)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.GONE, "The recording of node " + node.id() + " is no longer stored"));
        Optional<Container> container = Optional.empty();
        if (size > 0) {
            container = AudioSignature.recognise(objects, key);
            if (container.isEmpty()) {
                // What passed the upload's check but is not audio underneath (an ID3 tag over a page,
                // say) is still typed by its head, so never as a page.
                try (InputStream in = objects.open(key, 0, AudioSignature.HEAD_BYTES - 1)) {
                    byte[] head = in.readNBytes(AudioSignature.HEAD_BYTES);
                    container = AudioSignature.recognise(head, head.length);
                }
            }
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
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(type);
        headers.set(HttpHeaders.CONTENT_DISPOSITION, disposition.toString());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");

        HttpRange range = singleRange(request.getHeaders().getFirst(HttpHeaders.RANGE));
        HttpStatus status = HttpStatus.OK;
        long from = 0;
        long to = size - 1;
        if (range != null) {
            from = range.getRangeStart(size);
            to = range.getRangeEnd(size);
            if (from >= size) {
                headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
                return new ResponseEntity<>(Flux.empty(), headers, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            }
            status = HttpStatus.PARTIAL_CONTENT;
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + size);
        }
        headers.setContentLength(to - from + 1);
        // A HEAD request is answered with the headers alone: Spring would read a body through to drop it.
        boolean body = size > 0 && request.getMethod() != HttpMethod.HEAD;
        return new ResponseEntity<>(body ? read(key, from, to) : Flux.empty(), headers, status);
    }

    /**
     * The one range of a Range header; null for none, for several (served whole, as HTTP lets a
     * server do) and for one it cannot read (ignored, as HTTP says).
     */
    private static HttpRange singleRange(String header) {
        if (header == null) {
            return null;
        }
        try {
            List<HttpRange> ranges = HttpRange.parseRanges(header);
            return ranges.size() == 1 ? ranges.get(0) : null;
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /**
     * The bytes, read as the client takes them. The stream is opened, read and (when the client
     * stops listening) closed on boundedElastic threads: each of these waits for the disk or the
     * bucket.
     */
    private Flux<DataBuffer> read(String key, long from, long to) {
        return DataBufferUtils.readInputStream(
                        () -> objects.open(key, from, to), DefaultDataBufferFactory.sharedInstance, AUDIO_CHUNK)
                .cancelOn(Schedulers.boundedElastic())
                .subscribeOn(Schedulers.boundedElastic());
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
     * The upload's callback_url, checked (a 400 says what is wrong with it); empty when it names
     * none. Checked before the recording is committed, so a refused callback stores nothing.
     */
    private Mono<Optional<String>> callbackUrl(Caller caller, String value) {
        if (value == null || value.isBlank()) {
            return Mono.just(Optional.empty());
        }
        return callbackUrls.checked(caller.userId(), value.strip()).map(Optional::of);
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

    /**
     * The upload's title field, checked; without one (or with a blank one, as a form whose title box
     * was left empty sends) the file's name stands in.
     */
    private static String title(ReceivedUpload upload) {
        String value = upload.field("title");
        return value == null || value.isBlank() ? NoteTitle.fromFileName(upload.fileName()) : NoteTitle.checked(value);
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

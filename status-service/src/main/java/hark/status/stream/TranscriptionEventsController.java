package hark.status.stream;

import hark.platform.security.Caller;
import hark.status.InFlightPerUser;
import hark.status.StatusProperties;
import hark.status.view.Ownership;
import hark.status.view.StatusRepository;
import hark.status.view.StatusResponse;
import hark.status.view.TranscriptionView;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live stream of a node's transcription: every change of the view as an SSE {@code status}
 * event whose data is exactly what the polling endpoint answered at that moment, until the job's
 * final state, then the stream ends. A reconnect with {@code Last-Event-ID} gets every change
 * after that one, so nothing is lost; a new watcher starts with the current state. Polling and
 * the stream show the same truth: both are {@link StatusResponse}s of the same rows.
 */
@RestController
public class TranscriptionEventsController {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final StatusRepository views;
    private final ChangeLog changes;
    private final ChangeSignals signals;
    private final InFlightPerUser streams;
    private final JsonMapper json;

    public TranscriptionEventsController(
            StatusRepository views, ChangeLog changes, StatusProperties props, JsonMapper json) {
        this.views = views;
        this.changes = changes;
        this.json = json;
        this.signals = new ChangeSignals(changes, props.streamPoll());
        this.streams = new InFlightPerUser(
                props.streamsPerUser(),
                "Too many live streams open: at most " + props.streamsPerUser()
                        + " at a time. Close one, or poll the status instead.");
    }

    @ApiResponse(
            responseCode = "200",
            description =
                    "Server-Sent Events: the status answer (as /transcription-status) each time it changes, until the job ends.",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "429", description = "Too many live streams open.")
    @GetMapping(path = "/api/nodes/{id}/transcription-events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<String>> events(
            @PathVariable long id, @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        return Caller.current()
                .flatMapMany(caller -> streams.run(
                        caller.userId(),
                        events(
                                id,
                                lastEventId,
                                Ownership.readable(views.latestForNode(id), TranscriptionView::userId, id))));
    }

    private Flux<ServerSentEvent<String>> events(long id, Long lastEventId, Mono<TranscriptionView> view) {
        if (lastEventId != null) {
            return view.flatMapMany(found -> stream(id, lastEventId));
        }
        // A new watcher first gets the state as it is now, then every change after it.
        return view.zipWith(changes.latestSeq(id)).flatMapMany(found -> {
            TranscriptionView current = found.getT1();
            long seq = found.getT2();
            ServerSentEvent<String> now = ServerSentEvent.<String>builder(
                            json.writeValueAsString(StatusResponse.of(current, OffsetDateTime.now(ZoneOffset.UTC))))
                    .id(Long.toString(seq))
                    .event("status")
                    .build();
            return current.isFinal() ? Flux.just(now) : Flux.concat(Flux.just(now), stream(id, seq));
        });
    }

    private Flux<ServerSentEvent<String>> stream(long nodeId, long from) {
        AtomicLong cursor = new AtomicLong(from);
        // What happened since the watcher's last event, once; then each time the node's shared
        // change number moves past it.
        Flux<Item> updates = Flux.concat(
                readFrom(nodeId, cursor).switchIfEmpty(endIfAlreadyFinal(nodeId)),
                signals.latest(nodeId).filter(seq -> seq > cursor.get()).concatMap(seq -> readFrom(nodeId, cursor)));
        // Proxies close a silent connection; a comment now and then keeps it open while a chunk runs.
        Flux<Item> keepAlive = Flux.interval(KEEP_ALIVE)
                .map(tick -> new Item(
                        ServerSentEvent.<String>builder().comment("keep-alive").build(), false));
        return Flux.merge(updates, keepAlive)
                .takeUntil(Item::last)
                .filter(item -> item.event() != null)
                .map(Item::event);
    }

    private Flux<Item> readFrom(long nodeId, AtomicLong cursor) {
        return changes.after(nodeId, cursor.get())
                .doOnNext(change -> cursor.set(change.seq()))
                .map(change -> new Item(
                        ServerSentEvent.<String>builder(change.state())
                                .id(Long.toString(change.seq()))
                                .event("status")
                                .build(),
                        change.isFinal()));
    }

    /** A watcher that resumes after the final state has nothing more to get: the stream ends at once. */
    private Mono<Item> endIfAlreadyFinal(long nodeId) {
        return views.latestForNode(nodeId).filter(TranscriptionView::isFinal).map(view -> new Item(null, true));
    }

    private record Item(ServerSentEvent<String> event, boolean last) {}
}

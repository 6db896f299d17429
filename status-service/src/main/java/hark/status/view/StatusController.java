package hark.status.view;

import hark.platform.web.ApiException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The original design's polling endpoint. */
@RestController
public class StatusController {

    private final StatusRepository views;

    public StatusController(StatusRepository views) {
        this.views = views;
    }

    @GetMapping("/api/nodes/{id}/transcription-status")
    public Mono<StatusResponse> status(@PathVariable long id) {
        return Ownership.readable(views.latestForNode(id), TranscriptionView::userId, id)
                .map(view -> StatusResponse.of(view, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    public static ApiException noTranscription(long id) {
        return new ApiException(HttpStatus.NOT_FOUND, "No transcription for node " + id + " (yet)");
    }
}

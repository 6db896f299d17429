package hark.status.transcript;

import hark.platform.transcript.Subtitles;
import hark.platform.transcript.Subtitles.Cue;
import hark.platform.web.ApiException;
import hark.status.transcript.TranscriptQuery.Job;
import hark.status.view.JobStatus;
import hark.status.view.Ownership;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Comparator;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node's finished transcript as a file: plain text, SRT / WebVTT subtitles when it has timestamps,
 * or JSON with the text and its timed segments.
 */
@RestController
public class TranscriptController {

    private final TranscriptQuery transcripts;
    private final JsonMapper json;

    public TranscriptController(TranscriptQuery transcripts, JsonMapper json) {
        this.transcripts = transcripts;
        this.json = json;
    }

    /**
     * @param format   txt, srt, vtt or json; without it the Accept header decides, plain text by default
     * @param download answer as an attachment named {@code node-<id>.<ext>}, for the browser app's links
     */
    @ApiResponse(
            responseCode = "200",
            description = "The transcript: text, SRT / WebVTT subtitles, or JSON with the timed segments.",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = TimedTranscript.class)),
                @Content(mediaType = "text/plain", schema = @Schema(type = "string")),
                @Content(mediaType = "application/x-subrip", schema = @Schema(type = "string")),
                @Content(mediaType = "text/vtt", schema = @Schema(type = "string"))
            })
    @ApiResponse(
            responseCode = "409",
            description = "The transcript is not ready (or the job failed or was cancelled).")
    @GetMapping("/api/nodes/{id}/transcript")
    public Mono<ResponseEntity<String>> transcript(
            @PathVariable long id,
            @RequestParam(required = false) String format,
            @RequestParam(defaultValue = "false") boolean download,
            @RequestHeader HttpHeaders headers) {
        ExportFormat chosen = format != null ? ExportFormat.named(format) : ExportFormat.accepted(headers.getAccept());
        return Ownership.readable(transcripts.latestJob(id), Job::userId, id)
                .flatMap(job -> body(id, job, chosen).map(body -> answer(id, chosen, download, body, job.language())));
    }

    private Mono<String> body(long id, Job job, ExportFormat format) {
        if (job.status() != JobStatus.COMPLETED) {
            return Mono.error(new ApiException(HttpStatus.CONFLICT, notReady(id, job)));
        }
        if (format == ExportFormat.TXT) {
            return Mono.just(job.content() == null ? "" : job.content());
        }
        if (job.missingChunks()) {
            return Mono.error(new ApiException(
                    HttpStatus.CONFLICT,
                    "The " + format.name() + " subtitles of node " + id
                            + " are still being put together (" + job.chunksStored() + " of " + job.chunksTotal()
                            + " parts in); try again in a moment. The text is available with ?format=txt."));
        }
        if (format == ExportFormat.JSON) {
            return timed(id, job);
        }
        return transcripts
                .cues(job.jobId())
                .flatMap(cues -> cues.isEmpty()
                        ? Mono.error(new ApiException(HttpStatus.NOT_FOUND, noTimestamps(id, format)))
                        : Mono.just(format == ExportFormat.SRT ? Subtitles.srt(cues) : Subtitles.vtt(cues)));
    }

    /** The text and the same segments the subtitles are made of; no segments when the engine gave none. */
    private Mono<String> timed(long id, Job job) {
        return transcripts
                .cues(job.jobId())
                .map(cues -> json.writeValueAsString(new TimedTranscript(
                        id,
                        job.content() == null ? "" : job.content(),
                        job.language(),
                        cues.stream()
                                .filter(cue -> cue.text() != null && !cue.text().isBlank())
                                // In the subtitles' order; an engine's slip (an end before its start) made an instant.
                                .sorted(Comparator.comparingInt(Cue::chunk).thenComparingDouble(Cue::startSeconds))
                                .map(cue -> new TimedTranscript.Segment(
                                        cue.startSeconds(),
                                        Math.max(cue.startSeconds(), cue.endSeconds()),
                                        cue.text().strip()))
                                .toList())));
    }

    private static ResponseEntity<String> answer(
            long id, ExportFormat format, boolean download, String body, String language) {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(format.mediaType());
        if (language != null) {
            // The language the engine heard (a multilingual Whisper model says), for readers and players.
            ok.header(HttpHeaders.CONTENT_LANGUAGE, language);
        }
        if (download) {
            ok.header(
                    HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment()
                            .filename("node-" + id + "." + format.extension())
                            .build()
                            .toString());
        }
        return ok.body(body);
    }

    /** Says where the job is, so a person knows whether waiting helps. */
    static String notReady(long id, Job job) {
        if (job.status() == JobStatus.CANCELLED) {
            return "Node " + id + " has no transcript: its transcription was cancelled. Retry it to start again.";
        }
        if (job.status() == JobStatus.FAILED) {
            return "Node " + id + " has no transcript: its transcription failed"
                    + (job.error() == null || job.error().isBlank() ? "." : ": " + job.error());
        }
        String where = job.status() == JobStatus.PENDING
                ? "the recording is waiting to be processed"
                : "it is being transcribed (" + job.progress() + "% done)";
        return "The transcript of node " + id + " is not ready yet: " + where + ". Try again when it is completed.";
    }

    /** Waiting never helps here: the engine that made this transcript gives no timestamps (the gpt-4o models). */
    static String noTimestamps(long id, ExportFormat format) {
        return "The transcript of node " + id + " has no timestamps, so there are no " + format.name()
                + " subtitles: the engine that transcribed it gives none (as the gpt-4o models do)."
                + " The text is available with ?format=txt.";
    }
}

package hark.standalone;

import hark.testing.FakeTranscriptionApi;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hark's settings for transcribing with the OpenAI engine against a local stand-in of the API. */
public final class StandInEngine {

    private StandInEngine() {}

    /** The stand-in's settings, then {@code more}; a later setting overrides an earlier one. */
    public static String[] settings(FakeTranscriptionApi api, String... more) {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--hark.transcribe.engine=openai",
                // Prep shapes the audio for the engine (the API's MP3), so it must know the engine too.
                "--hark.prep.engine=openai",
                "--hark.openai.base-url=" + api.baseUrl(),
                "--hark.openai.api-key=" + api.apiKey(),
                // whisper-1 answers with timestamps, as subtitles need.
                "--hark.openai.model=whisper-1",
                // The stand-in has no quota; OpenAI's first tier (50 calls a minute, the default)
                // would only add deliberate waits.
                "--hark.openai.requests-per-minute=0"));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }
}

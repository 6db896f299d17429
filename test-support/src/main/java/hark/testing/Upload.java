package hark.testing;

import java.util.Map;

/**
 * A transcription request that passed the checks, as handed to the function that makes up
 * the transcript (see {@link FakeTranscriptionApi#withTranscriber}).
 *
 * @param fields          the form's text fields ({@code model}, {@code language}, ...)
 * @param fileName        the file part's file name
 * @param fileContentType the file part's Content-Type, or null
 * @param file            the uploaded bytes; not copied (they can be megabytes), so do not change them
 * @param sequence        the request's arrival number, from 0, as in {@link RecordedRequest#sequence()}
 */
public record Upload(Map<String, String> fields, String fileName, String fileContentType, byte[] file, long sequence) {

    public Upload {
        fields = Map.copyOf(fields);
    }

    public String model() {
        return fields.get("model");
    }

    /** The ISO-639-1 code sent, or null. */
    public String language() {
        return fields.get("language");
    }

    /** The response_format sent, or {@code json}, the API's default. */
    public String responseFormat() {
        return fields.getOrDefault("response_format", "json");
    }

    public int fileSize() {
        return file.length;
    }
}

package hark.testing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The checks OpenAI's endpoint makes on a transcription form, so that a client that passes
 * here is not rejected by the real service for a missing field or a bad file name.
 */
final class UploadCheck {

    static final Set<String> RESPONSE_FORMATS = Set.of("json", "text", "verbose_json", "srt", "vtt");
    // OpenAI works out the audio format from the file name, so an extension it does not know is a 400.
    static final Set<String> AUDIO_EXTENSIONS =
            Set.of("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm");
    private static final Pattern ISO_639_1 = Pattern.compile("[a-z]{2}");

    private UploadCheck() {}

    /** The reason a form is refused, as the 400 (or 413) to send; null when it is acceptable. */
    static ResponseDefinitionBuilder problem(FormParts form, long maxFileBytes) {
        String notAForm = form.notAFormReason();
        if (notAForm != null) {
            return invalid(notAForm, null);
        }
        Request.Part file = form.file();
        if (file == null) {
            return invalid("Missing required parameter: 'file'.", "file");
        }
        if (file.getFileName() == null || file.getFileName().isBlank()) {
            return invalid("The 'file' part must be a file upload with a filename.", "file");
        }
        if (!AUDIO_EXTENSIONS.contains(extension(file.getFileName()))) {
            return invalid("Invalid file format. Supported formats: " + new TreeSet<>(AUDIO_EXTENSIONS), "file");
        }
        int size = FormParts.bytes(file).length;
        if (size == 0) {
            return invalid("The audio file is empty.", "file");
        }
        if (size > maxFileBytes) {
            return ApiBodies.error(
                    413,
                    "Maximum content size limit (" + maxFileBytes + ") exceeded (" + size + " bytes read)",
                    "file",
                    null);
        }
        Map<String, String> fields = form.fields();
        String model = fields.get("model");
        if (model == null || model.isBlank()) {
            return invalid("Missing required parameter: 'model'.", "model");
        }
        String format = fields.get("response_format");
        if (format != null && !RESPONSE_FORMATS.contains(format)) {
            return invalid(
                    "'" + format + "' is not one of " + new TreeSet<>(RESPONSE_FORMATS) + " - 'response_format'",
                    "response_format");
        }
        String language = fields.get("language");
        if (language != null && !ISO_639_1.matcher(language).matches()) {
            return invalid(
                    "Invalid language '" + language + "'. Language parameter must be specified in "
                            + "ISO-639-1 format.",
                    "language");
        }
        return null;
    }

    private static ResponseDefinitionBuilder invalid(String message, String param) {
        return ApiBodies.error(400, message, param, null);
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

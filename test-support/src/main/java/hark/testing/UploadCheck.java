package hark.testing;

import java.util.Locale;
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

    private UploadCheck() {
    }

    /** The reason a form is refused, as the 400 (or 413) to send; null when it is acceptable. */
    static Answer problem(MultipartForm form, long maxFileBytes) {
        MultipartForm.Part file = form.part("file");
        if (file == null) {
            return invalid("Missing required parameter: 'file'.", "file");
        }
        if (file.fileName() == null || file.fileName().isBlank()) {
            return invalid("The 'file' part must be a file upload with a filename.", "file");
        }
        if (!AUDIO_EXTENSIONS.contains(extension(file.fileName()))) {
            return invalid("Invalid file format. Supported formats: " + new TreeSet<>(AUDIO_EXTENSIONS), "file");
        }
        if (file.data().length == 0) {
            return invalid("The audio file is empty.", "file");
        }
        if (file.data().length > maxFileBytes) {
            return Answer.error(413, "Maximum content size limit (" + maxFileBytes + ") exceeded ("
                    + file.data().length + " bytes read)", "file", null);
        }
        var fields = form.fields();
        String model = fields.get("model");
        if (model == null || model.isBlank()) {
            return invalid("Missing required parameter: 'model'.", "model");
        }
        String format = fields.get("response_format");
        if (format != null && !RESPONSE_FORMATS.contains(format)) {
            return invalid("'" + format + "' is not one of " + new TreeSet<>(RESPONSE_FORMATS) + " - 'response_format'",
                    "response_format");
        }
        String language = fields.get("language");
        if (language != null && !ISO_639_1.matcher(language).matches()) {
            return invalid("Invalid language '" + language + "'. Language parameter must be specified in "
                    + "ISO-639-1 format.", "language");
        }
        return null;
    }

    static Answer invalid(String message, String param) {
        return Answer.error(400, message, param, null);
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

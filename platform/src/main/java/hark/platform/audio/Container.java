package hark.platform.audio;

/**
 * The audio containers Hark takes, as {@link AudioSignature} tells them by their first bytes: what
 * to call them, which ffmpeg demuxer reads them (ffmpeg is always told, never left to guess: its
 * guessing follows playlists and lists to other files), and the type they are served as.
 */
public enum Container {
    WAV("WAV", "wav", "audio/wav", "wav"),
    RF64("RF64 WAV", "wav", "audio/wav", "wav"),
    WAVE64("Wave64", "w64", "audio/wav", "w64"),
    FLAC("FLAC", "flac", "audio/flac", "flac"),
    OGG("Ogg", "ogg", "audio/ogg", "ogg"),
    /** An ID3v2 tag; the file is what follows it ({@link AudioSignature#recognise(java.nio.file.Path)}). */
    ID3("MP3 (ID3 tag)", "mp3", "audio/mpeg", "mp3"),
    WEBM("WebM/Matroska", "matroska", "audio/webm", "webm"),
    AMR("AMR", "amr", "audio/amr", "amr"),
    MPEG_PROGRAM_STREAM("MPEG program stream", "mpeg", "video/mpeg", "mpeg"),
    MP4("MP4", "mov", "audio/mp4", "m4a"),
    QUICKTIME("MP4 (QuickTime)", "mov", "audio/mp4", "m4a"),
    AAC("AAC (ADTS)", "aac", "audio/aac", "aac"),
    MP3("MP3", "mp3", "audio/mpeg", "mp3"),
    MPEG_AUDIO("MPEG audio", "mp3", "audio/mpeg", "mp3");

    private final String label;
    private final String demuxer;
    private final String mediaType;
    private final String extension;

    Container(String label, String demuxer, String mediaType, String extension) {
        this.label = label;
        this.demuxer = demuxer;
        this.mediaType = mediaType;
        this.extension = extension;
    }

    /** What a person calls it: "WAV", "MP4", ... */
    public String label() {
        return label;
    }

    /** ffmpeg's {@code -f} for reading it. */
    public String demuxer() {
        return demuxer;
    }

    /** The Content-Type it is served with: one of a fixed set, never what a client declared. */
    public String mediaType() {
        return mediaType;
    }

    /** The file name ending a download of it gets. */
    public String extension() {
        return extension;
    }
}

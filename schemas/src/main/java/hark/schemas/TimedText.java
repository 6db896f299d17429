package hark.schemas;

/** A span of recognized text, in seconds from the start of the recording. */
public record TimedText(double startSeconds, double endSeconds, String text) {}

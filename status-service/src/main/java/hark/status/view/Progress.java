package hark.status.view;

/**
 * How far a job is, in percent, from the work actually done: preparing and cutting the audio is
 * the first fifth, the chunks are most of it, and 100 is only ever reached at completion.
 */
final class Progress {

    static final int STARTED = 5;
    static final int PREPARED = 15;
    static final int CHUNKED = 20;
    private static final int CHUNKS_SHARE = 75;

    private Progress() {}

    static int afterChunks(int done, int total) {
        return CHUNKED + CHUNKS_SHARE * Math.min(done, total) / Math.max(total, 1);
    }
}

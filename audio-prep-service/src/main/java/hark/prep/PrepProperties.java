package hark.prep;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxSingleBytes   a prepared file larger than this is chunked (and an original larger is compressed)
 * @param maxSingleSeconds a recording longer than this is chunked
 * @param chunkSeconds     the longest a chunk may be
 * @param bitrate          MP3 bitrate of compressed audio
 * @param concurrency      consumers of each prep stage in this process
 */
@ConfigurationProperties("hark.prep")
public record PrepProperties(long maxSingleBytes, double maxSingleSeconds, int chunkSeconds, String bitrate,
                             int concurrency) {

    public boolean needsChunking(long bytes, double seconds) {
        return bytes > maxSingleBytes || seconds > maxSingleSeconds;
    }
}

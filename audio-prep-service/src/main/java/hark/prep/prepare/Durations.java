package hark.prep.prepare;

/** Lengths of recordings in words a person reads at a glance. */
final class Durations {

    private Durations() {}

    static String words(double seconds) {
        long total = Math.round(seconds);
        long hours = total / 3600;
        long minutes = total % 3600 / 60;
        if (hours > 0) {
            return minutes > 0 ? hours + " h " + minutes + " min" : hours + " h";
        }
        return minutes > 0 ? minutes + " min " + total % 60 + " s" : total + " s";
    }
}

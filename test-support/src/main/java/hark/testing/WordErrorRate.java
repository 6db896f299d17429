package hark.testing;

/** Word-level edit distance over the reference length. */
public final class WordErrorRate {

    private WordErrorRate() {}

    public static double of(String reference, String hypothesis) {
        String[] ref = reference.toLowerCase().trim().split("\\s+");
        String[] hyp = hypothesis.isBlank()
                ? new String[0]
                : hypothesis.toLowerCase().trim().split("\\s+");
        int[] previous = new int[hyp.length + 1];
        int[] current = new int[hyp.length + 1];
        for (int j = 0; j <= hyp.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= ref.length; i++) {
            current[0] = i;
            for (int j = 1; j <= hyp.length; j++) {
                int substitution = previous[j - 1] + (ref[i - 1].equals(hyp[j - 1]) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return (double) previous[hyp.length] / ref.length;
    }
}

package hark.testing;

/**
 * Word-level edit distance over the reference length. Case and punctuation do not count: Whisper
 * writes "Eight of spades, four of clubs." where Sphinx and the references write plain words.
 */
public final class WordErrorRate {

    private WordErrorRate() {}

    public static double of(String reference, String hypothesis) {
        String[] ref = words(reference);
        String[] hyp = words(hypothesis);
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

    // Apostrophes stay: "i'm" is one word in the references.
    private static String[] words(String text) {
        String plain = text.toLowerCase().replaceAll("[^\\p{L}\\p{N}'\\s]", " ").strip();
        return plain.isEmpty() ? new String[0] : plain.split("\\s+");
    }
}

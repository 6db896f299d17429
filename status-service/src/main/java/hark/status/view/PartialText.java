package hark.status.view;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The text of the chunks finished so far, in order; a chunk still being worked on shows as "…". */
final class PartialText {

    static final String GAP = "…";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PartialText() {}

    /** @param chunkTexts JSON {@code [[index, text], ...]} ordered by index, or null */
    static String join(String chunkTexts) {
        if (chunkTexts == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        int expected = 0;
        for (JsonNode chunk : JSON.readTree(chunkTexts)) {
            int index = chunk.get(0).asInt();
            if (text.length() > 0 || index > 0) {
                if (index > expected) {
                    text.append(text.length() > 0 ? "\n\n" : "").append(GAP);
                }
                text.append("\n\n");
            }
            text.append(chunk.get(1).asString());
            expected = index + 1;
        }
        return text.toString();
    }
}

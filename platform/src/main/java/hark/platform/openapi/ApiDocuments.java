package hark.platform.openapi;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Joins OpenAPI documents of the same API, each describing other operations, into one. */
public final class ApiDocuments {

    private ApiDocuments() {}

    /**
     * The first document's info and settings, with every path operation and every component of
     * them all. Two services may describe one path (GET and POST /api/nodes are answered by
     * different services) but never one operation; a component named alike must be alike, or the
     * union would silently describe one service's answers with the other's schema.
     *
     * @throws IllegalStateException on an operation described twice or a component that differs
     */
    public static JsonNode merge(List<JsonNode> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        ObjectNode whole = (ObjectNode) parts.get(0).deepCopy();
        for (JsonNode part : parts.subList(1, parts.size())) {
            ObjectNode paths = objectIn(whole, "paths");
            for (Map.Entry<String, JsonNode> path : part.path("paths").properties()) {
                ObjectNode item = objectIn(paths, path.getKey());
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    JsonNode before = item.get(operation.getKey());
                    if (before != null && !before.equals(operation.getValue())) {
                        throw new IllegalStateException(operation.getKey().toUpperCase() + " " + path.getKey()
                                + " is described by two services");
                    }
                    item.set(operation.getKey(), operation.getValue());
                }
            }
            ObjectNode components = objectIn(whole, "components");
            for (Map.Entry<String, JsonNode> kind : part.path("components").properties()) {
                ObjectNode into = objectIn(components, kind.getKey());
                for (Map.Entry<String, JsonNode> named : kind.getValue().properties()) {
                    JsonNode before = into.get(named.getKey());
                    if (before != null && !before.equals(named.getValue())) {
                        throw new IllegalStateException(
                                "Two services describe " + kind.getKey() + " " + named.getKey() + " differently");
                    }
                    into.set(named.getKey(), named.getValue());
                }
            }
            mergeTags(whole, part);
        }
        return whole;
    }

    private static void mergeTags(ObjectNode whole, JsonNode part) {
        if (!part.path("tags").isArray()) {
            return;
        }
        var tags = whole.has("tags") ? whole.withArray("tags") : whole.putArray("tags");
        for (JsonNode tag : part.get("tags")) {
            boolean known = false;
            for (Iterator<JsonNode> it = tags.iterator(); it.hasNext(); ) {
                if (it.next().path("name").equals(tag.path("name"))) {
                    known = true;
                }
            }
            if (!known) {
                tags.add(tag);
            }
        }
    }

    private static ObjectNode objectIn(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        if (existing instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }
}

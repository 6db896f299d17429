package hark.status.ops;

import hark.schemas.EngineChosen;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine each transcribe instance last said it chose, as read off {@code ops.engines}: the
 * topic keeps it, so this is only memory, filled again from the topic's beginning at each start.
 */
public final class EngineChoices {

    private final Map<String, EngineChosen> byInstance = new ConcurrentHashMap<>();

    /** The topic's order is the instance's: a later record is a later start. */
    public void apply(EngineChosen chosen) {
        byInstance.put(chosen.instance(), chosen);
    }

    public List<AdminOverview.Engine> list() {
        return byInstance.values().stream()
                .sorted(Comparator.comparing(EngineChosen::instance))
                .map(c -> new AdminOverview.Engine(c.instance(), c.engine(), c.detail(), c.reason(), c.occurredAt()))
                .toList();
    }
}

package hark.standalone.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's docker-compose.yml as Compose reads it: YAML merge keys applied, and
 * {@code ${NAME:-default}}, {@code ${NAME:?message}} and {@code ${NAME}} filled in from a given
 * environment (the operator's shell or .env file).
 */
final class ComposeFile {

    static final Path PATH = Path.of("..", "docker-compose.yml");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final Map<String, Object> root;
    private final Map<String, String> shell;

    private ComposeFile(Map<String, Object> root, Map<String, String> shell) {
        this.root = root;
        this.shell = shell;
    }

    static ComposeFile read(Map<String, String> shell) {
        try (Reader in = Files.newBufferedReader(PATH)) {
            return new ComposeFile(new Yaml().load(in), shell);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> service(String name) {
        return (Map<String, Object>) services().get(name);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> services() {
        return (Map<String, Object>) root.get("services");
    }

    /** The named volumes the file declares (top-level {@code volumes}). */
    @SuppressWarnings("unchecked")
    Map<String, Object> namedVolumes() {
        Object volumes = root.get("volumes");
        return volumes == null ? Map.of() : (Map<String, Object>) volumes;
    }

    /** The service's mounts in short form ({@code source:target[:mode]}), variables filled in. */
    List<String> mounts(String service) {
        Object volumes = service(service).get("volumes");
        if (volumes == null) {
            return List.of();
        }
        return ((List<?>) volumes).stream().map(v -> resolve(String.valueOf(v))).toList();
    }

    /** The service's environment with every variable filled in. */
    @SuppressWarnings("unchecked")
    Map<String, String> environment(String service) {
        Map<String, String> resolved = new LinkedHashMap<>();
        Object environment = service(service).get("environment");
        if (environment instanceof Map<?, ?> map) {
            map.forEach(
                    (key, value) -> resolved.put((String) key, value == null ? "" : resolve(String.valueOf(value))));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] pair = String.valueOf(entry).split("=", 2);
                resolved.put(pair[0], pair.length > 1 ? resolve(pair[1]) : shell.getOrDefault(pair[0], ""));
            }
        }
        return resolved;
    }

    /** Compose's interpolation, for the forms this file uses. */
    String resolve(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String set = shell.get(name);
            boolean colon = m.group(2) != null && m.group(2).startsWith(":");
            boolean missing = set == null || (colon && set.isEmpty());
            String replacement;
            if (!missing) {
                replacement = set;
            } else if (m.group(2) != null && m.group(2).endsWith("-")) {
                replacement = m.group(3);
            } else if (m.group(2) != null && m.group(2).endsWith("?")) {
                throw new IllegalStateException("Compose refuses to start without " + name + ": " + m.group(3));
            } else {
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}

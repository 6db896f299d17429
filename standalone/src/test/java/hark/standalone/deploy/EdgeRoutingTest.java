package hark.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every API endpoint of upload- and status-service, found in their controllers, reaches the
 * service that has it through the edge of the compose deployment: nginx's location rules
 * (exact, then regular expressions in order, then the longest prefix) applied to deploy/edge/nginx.conf.
 * An endpoint added to a service without a route fails here.
 */
class EdgeRoutingTest {

    private static final Path CONFIG = Path.of("..", "deploy", "edge", "nginx.conf");
    private static final Map<String, String> UPSTREAM_OF_PACKAGE =
            Map.of("hark.upload", "upload_service", "hark.status", "status_service");

    record Endpoint(RequestMethod method, String path, String upstream) {}

    record Location(String kind, String pattern, String target) {}

    @Test
    void everyEndpointIsRoutedToTheServiceThatAnswersIt() throws Exception {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).as("endpoints found in the controllers").hasSizeGreaterThan(15);
        Edge edge = Edge.read(CONFIG);
        for (Endpoint endpoint : endpoints) {
            String example = endpoint.path().replaceAll("\\{[^}]+}", "42");
            // With one trailing slash too (the original design's page posts to /api/nodes/).
            for (String path : List.of(example, example + "/")) {
                assertThat(edge.route(endpoint.method().name(), path))
                        .as(endpoint.method() + " " + path)
                        .isEqualTo(endpoint.upstream());
            }
        }
    }

    @Test
    void thePageIsServedByTheEdgeItself() throws IOException {
        Edge edge = Edge.read(CONFIG);
        assertThat(edge.route("GET", "/")).isEqualTo("static");
        assertThat(edge.route("GET", "/app.js")).isEqualTo("static");
    }

    private static List<Endpoint> endpoints() throws ClassNotFoundException {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(RestController.class));
        List<Endpoint> found = new ArrayList<>();
        for (var entry : UPSTREAM_OF_PACKAGE.entrySet()) {
            for (var candidate : scanner.findCandidateComponents(entry.getKey())) {
                Class<?> type = Class.forName(candidate.getBeanClassName());
                RequestMapping base = AnnotatedElementUtils.findMergedAnnotation(type, RequestMapping.class);
                String prefix = base == null || base.path().length == 0 ? "" : base.path()[0];
                for (Method method : type.getDeclaredMethods()) {
                    RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
                    if (mapping == null) {
                        continue;
                    }
                    String path = prefix + (mapping.path().length == 0 ? "" : mapping.path()[0]);
                    for (RequestMethod verb : mapping.method()) {
                        found.add(new Endpoint(verb, path, entry.getValue()));
                    }
                }
            }
        }
        return found;
    }

    /** The parts of the edge's nginx.conf that decide where a request goes. */
    private record Edge(List<Location> locations, Map<String, Map<String, String>> maps) {

        private static final Pattern LOCATION =
                Pattern.compile("location\\s+(=|~)?\\s*(\\S+)\\s*\\{(.*?)\\n\\s*}", Pattern.DOTALL);
        private static final Pattern MAP =
                Pattern.compile("map\\s+\\$request_method\\s+\\$(\\w+)\\s*\\{(.*?)}", Pattern.DOTALL);
        private static final Pattern PROXY = Pattern.compile("proxy_pass\\s+http://\\$?(\\w+)");

        static Edge read(Path config) throws IOException {
            String text = Files.readString(config).replaceAll("(?m)#.*$", "");
            Map<String, Map<String, String>> maps = new HashMap<>();
            Matcher map = MAP.matcher(text);
            while (map.find()) {
                Map<String, String> byMethod = new HashMap<>();
                for (String line : map.group(2).split(";")) {
                    String[] words = line.trim().split("\\s+");
                    if (words.length == 2) {
                        byMethod.put(words[0], words[1]);
                    }
                }
                maps.put(map.group(1), byMethod);
            }
            List<Location> locations = new ArrayList<>();
            Matcher location = LOCATION.matcher(text);
            while (location.find()) {
                Matcher proxy = PROXY.matcher(location.group(3));
                String kind = location.group(1) == null ? "prefix" : location.group(1);
                locations.add(new Location(kind, location.group(2), proxy.find() ? proxy.group(1) : "static"));
            }
            return new Edge(locations, maps);
        }

        /** The upstream (or "static") nginx sends the request to. */
        String route(String method, String path) {
            Location chosen = locations.stream()
                    .filter(l -> l.kind().equals("=") && l.pattern().equals(path))
                    .findFirst()
                    .or(() -> locations.stream()
                            .filter(l -> l.kind().equals("~"))
                            .filter(l ->
                                    Pattern.compile(l.pattern()).matcher(path).find())
                            .findFirst())
                    .or(() -> locations.stream()
                            .filter(l -> l.kind().equals("prefix") && path.startsWith(l.pattern()))
                            .max((a, b) -> Integer.compare(
                                    a.pattern().length(), b.pattern().length())))
                    .orElseThrow(() -> new AssertionError("no location for " + path));
            Map<String, String> byMethod = maps.get(chosen.target());
            return byMethod == null ? chosen.target() : byMethod.getOrDefault(method, byMethod.get("default"));
        }
    }
}

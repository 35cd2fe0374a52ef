package io.openlocal.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.RenderedChart.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Read helpers over the pod templates of rendered Deployments and DaemonSets. */
final class PodSpecs {

    /** One container of one workload. */
    record Container(Manifest workload, JsonNode pod, JsonNode body) {
        String name() {
            return body.path("name").asText();
        }

        List<String> args() {
            return texts(body.path("args"));
        }

        List<String> command() {
            return texts(body.path("command"));
        }

        boolean isOpenLocal() {
            return body.path("image").asText().contains("/openlocal/open-local-java:");
        }

        Optional<String> flag(String name) {
            List<String> all = new ArrayList<>(command());
            all.addAll(args());
            return all.stream().filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                    .findFirst();
        }

        /** The port of an --http-endpoint=:N flag, if any. */
        Optional<Integer> httpEndpointPort() {
            return flag("--http-endpoint").map(v -> Integer.parseInt(v.substring(v.lastIndexOf(':') + 1)));
        }

        Optional<JsonNode> mount(String volume) {
            for (JsonNode mount : body.path("volumeMounts")) {
                if (mount.path("name").asText().equals(volume)) {
                    return Optional.of(mount);
                }
            }
            return Optional.empty();
        }

        Optional<JsonNode> mountAt(String path) {
            for (JsonNode mount : body.path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals(path)) {
                    return Optional.of(mount);
                }
            }
            return Optional.empty();
        }

        /** The number of a port by name, or the number itself. */
        Optional<Integer> port(JsonNode port) {
            if (port.isInt()) {
                return Optional.of(port.asInt());
            }
            for (JsonNode declared : body.path("ports")) {
                if (declared.path("name").asText().equals(port.asText())) {
                    return Optional.of(declared.path("containerPort").asInt());
                }
            }
            return Optional.empty();
        }

        boolean privileged() {
            return body.path("securityContext").path("privileged").asBoolean(false);
        }

        @Override
        public String toString() {
            return workload.name() + "/" + name();
        }
    }

    private PodSpecs() {
    }

    static List<Manifest> workloads(RenderedChart chart) {
        return chart.manifests().stream()
                .filter(m -> m.kind().equals("Deployment") || m.kind().equals("DaemonSet")).toList();
    }

    static JsonNode pod(Manifest workload) {
        return workload.body().path("spec").path("template").path("spec");
    }

    static List<Container> containers(RenderedChart chart) {
        List<Container> result = new ArrayList<>();
        for (Manifest workload : workloads(chart)) {
            JsonNode pod = pod(workload);
            for (JsonNode container : pod.path("containers")) {
                result.add(new Container(workload, pod, container));
            }
        }
        return result;
    }

    static Container container(RenderedChart chart, String workload, String name) {
        return containers(chart).stream()
                .filter(c -> c.workload().name().equals(workload) && c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + workload + "/" + name));
    }

    static Optional<JsonNode> volume(Container container, String name) {
        for (JsonNode volume : container.pod().path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return Optional.of(volume);
            }
        }
        return Optional.empty();
    }

    /** The volume behind the mount that contains the given path inside the container. */
    static Optional<JsonNode> volumeHolding(Container container, String path) {
        JsonNode best = null;
        for (JsonNode mount : container.body().path("volumeMounts")) {
            String at = mount.path("mountPath").asText();
            if ((path.equals(at) || path.startsWith(at.endsWith("/") ? at : at + "/"))
                    && (best == null || at.length() > best.path("mountPath").asText().length())) {
                best = mount;
            }
        }
        return best == null ? Optional.empty() : volume(container, best.path("name").asText());
    }

    static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    private static final Pattern CONFIG_FLAG = Pattern.compile("--config=(.+)");

    static Optional<String> configFile(Container container) {
        for (String arg : container.args()) {
            Matcher m = CONFIG_FLAG.matcher(arg);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}

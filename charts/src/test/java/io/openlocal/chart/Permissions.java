package io.openlocal.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.RenderedChart.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a service account may do, computed from the rendered Roles, ClusterRoles and their bindings: one
 * {@link Grant} per (API group, resource, verb, resourceName, namespace) the rules expand to.
 */
final class Permissions {

    /** One permission; namespace is "*" for cluster-wide grants, resourceName "*" when not restricted. */
    record Grant(String group, String resource, String verb, String resourceName, String namespace)
            implements Comparable<Grant> {

        static Grant clusterWide(String group, String resource, String verb) {
            return new Grant(group, resource, verb, "*", "*");
        }

        @Override
        public int compareTo(Grant other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb
                    + (resourceName.equals("*") ? "" : "[" + resourceName + "]")
                    + (namespace.equals("*") ? "" : "@" + namespace);
        }
    }

    private Permissions() {
    }

    /** Every grant of the service account, with built-in roles (system:*) listed by name only. */
    static Set<Grant> of(RenderedChart chart, String namespace, String serviceAccount) {
        Set<Grant> grants = new TreeSet<>();
        for (Manifest binding : bindings(chart)) {
            if (!bindsTo(binding.body(), namespace, serviceAccount)) {
                continue;
            }
            JsonNode roleRef = binding.body().path("roleRef");
            String roleKind = roleRef.path("kind").asText();
            String roleName = roleRef.path("name").asText();
            String scope = binding.kind().equals("RoleBinding") ? binding.namespace() : "*";
            Manifest role = roleKind.equals("ClusterRole") ? chart.find("ClusterRole", roleName).orElse(null)
                    : chart.manifests().stream().filter(m -> m.kind().equals("Role") && m.name().equals(roleName)
                            && m.namespace().equals(binding.namespace())).findFirst().orElse(null);
            if (role == null) {
                // A built-in role (system:kube-scheduler, extension-apiserver-authentication-reader).
                grants.add(new Grant("builtin", roleKind + ":" + roleName, "*", "*", scope));
                continue;
            }
            grants.addAll(expand(role.body().path("rules"), scope));
        }
        return grants;
    }

    static List<Manifest> bindings(RenderedChart chart) {
        List<Manifest> result = new ArrayList<>(chart.ofKind("ClusterRoleBinding"));
        result.addAll(chart.ofKind("RoleBinding"));
        return result;
    }

    static List<JsonNode> allRules(RenderedChart chart) {
        List<JsonNode> rules = new ArrayList<>();
        for (String kind : List.of("ClusterRole", "Role")) {
            chart.ofKind(kind).forEach(r -> r.body().path("rules").forEach(rules::add));
        }
        return rules;
    }

    private static boolean bindsTo(JsonNode binding, String namespace, String serviceAccount) {
        for (JsonNode subject : binding.path("subjects")) {
            if (subject.path("kind").asText().equals("ServiceAccount")
                    && subject.path("name").asText().equals(serviceAccount)
                    && subject.path("namespace").asText().equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    private static Set<Grant> expand(JsonNode rules, String scope) {
        Set<Grant> grants = new TreeSet<>();
        for (JsonNode rule : rules) {
            List<String> names = PodSpecs.texts(rule.path("resourceNames"));
            if (names.isEmpty()) {
                names = List.of("*");
            }
            for (String group : PodSpecs.texts(rule.path("apiGroups"))) {
                for (String resource : PodSpecs.texts(rule.path("resources"))) {
                    for (String verb : PodSpecs.texts(rule.path("verbs"))) {
                        for (String name : names) {
                            grants.add(new Grant(group, resource, verb, name, scope));
                        }
                    }
                }
            }
        }
        return grants;
    }
}

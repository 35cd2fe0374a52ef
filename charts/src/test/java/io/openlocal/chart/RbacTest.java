package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.Permissions.Grant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Least privilege per component, read from the rendered Roles, ClusterRoles and bindings. */
class RbacTest {

    private static final String NS = Charts.NAMESPACE;
    private static final List<String> READ = List.of("get", "list", "watch");

    private static Set<Grant> grants(String group, String resource, List<String> verbs) {
        return verbs.stream().map(v -> Grant.clusterWide(group, resource, v)).collect(Collectors.toSet());
    }

    @Test
    void agentMayOnlyReadStorageAndNodesWriteStorageStatusAndRecordEvents() {
        Set<Grant> expected = new HashSet<>();
        expected.addAll(grants("csi.aliyun.com", "nodelocalstorages", READ));
        expected.addAll(grants("csi.aliyun.com", "nodelocalstorages/status", List.of("get", "update", "patch")));
        expected.addAll(grants("", "nodes", READ));
        expected.addAll(grants("", "events", List.of("create", "patch")));
        for (String values : List.of("default", "spdk", "optional-features")) {
            assertThat(Permissions.of(ValueSets.render(values), NS, "open-local-agent"))
                    .as(values).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void controllerOwnsNodeLocalStoragesReadsInitConfigsAndNodesAndHoldsOnlyItsLease() {
        Set<Grant> expected = new HashSet<>();
        expected.addAll(grants("csi.aliyun.com", "nodelocalstorages",
                List.of("get", "list", "watch", "create", "update", "patch", "delete")));
        expected.addAll(grants("csi.aliyun.com", "nodelocalstorageinitconfigs", READ));
        expected.addAll(grants("", "nodes", READ));
        expected.add(new Grant("coordination.k8s.io", "leases", "create", "*", NS));
        for (String verb : List.of("get", "update", "patch")) {
            expected.add(new Grant("coordination.k8s.io", "leases", verb, "open-local-controller", NS));
        }
        assertThat(Permissions.of(Charts.renderDefault(), NS, "open-local-controller"))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void controllerCannotWriteNodeLocalStorageStatusWhichIsTheAgents() {
        assertThat(Permissions.of(Charts.renderDefault(), NS, "open-local-controller"))
                .noneMatch(g -> g.resource().equals("nodelocalstorages/status"));
    }

    @Test
    void extenderOnlyReadsPodsClaimsVolumesStorageClassesAndNodeLocalStorages() {
        Set<Grant> expected = new HashSet<>();
        for (String resource : List.of("pods", "persistentvolumeclaims", "persistentvolumes")) {
            expected.addAll(grants("", resource, READ));
        }
        expected.addAll(grants("storage.k8s.io", "storageclasses", READ));
        expected.addAll(grants("csi.aliyun.com", "nodelocalstorages", READ));
        assertThat(Permissions.of(Charts.renderDefault(), NS, "open-local-scheduler-extender"))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void csiControllerHasTheSidecarsRulesAndReadsNodeLocalStorage() {
        Set<Grant> granted = Permissions.of(Charts.renderDefault(), NS, "open-local-csi-controller");
        Set<Grant> required = new HashSet<>();
        // external-provisioner
        required.addAll(grants("", "persistentvolumes", List.of("get", "list", "watch", "create", "patch", "delete")));
        required.addAll(grants("", "persistentvolumeclaims", List.of("get", "list", "watch", "update")));
        required.addAll(grants("storage.k8s.io", "storageclasses", READ));
        required.addAll(grants("storage.k8s.io", "csinodes", READ));
        required.addAll(grants("", "nodes", READ));
        required.addAll(grants("", "events", List.of("create", "patch")));
        required.addAll(grants("snapshot.storage.k8s.io", "volumesnapshots", List.of("get", "list")));
        required.addAll(grants("snapshot.storage.k8s.io", "volumesnapshotcontents", List.of("get", "list")));
        // external-resizer
        required.addAll(grants("", "persistentvolumeclaims/status", List.of("patch")));
        required.addAll(grants("", "pods", READ));
        // external-snapshotter
        required.addAll(grants("snapshot.storage.k8s.io", "volumesnapshotclasses", READ));
        required.addAll(grants("snapshot.storage.k8s.io", "volumesnapshotcontents", List.of("update", "patch")));
        required.addAll(grants("snapshot.storage.k8s.io", "volumesnapshotcontents/status", List.of("update", "patch")));
        // open-local CSI plugin: pools on the chosen node; Warning Events on claims (it reads the claim for its
        // uid, creates core/v1 events and patches their count) - granted by the provisioner's rules above today,
        // listed again so that trimming those cannot take them from the plugin unnoticed
        required.addAll(grants("csi.aliyun.com", "nodelocalstorages", READ));
        required.add(Grant.clusterWide("", "persistentvolumeclaims", "get"));
        required.addAll(grants("", "events", List.of("create", "patch")));
        // leader election of the sidecars, in the release namespace only
        for (String verb : List.of("get", "watch", "list", "delete", "update", "create")) {
            required.add(new Grant("coordination.k8s.io", "leases", verb, "*", NS));
        }
        assertThat(granted).containsAll(required);
        assertThat(granted).as("the CSI controller never writes NodeLocalStorage")
                .noneMatch(g -> g.group().equals("csi.aliyun.com") && !READ.contains(g.verb()));
        assertThat(granted).as("leases only in the release namespace")
                .noneMatch(g -> g.resource().equals("leases") && g.namespace().equals("*"));
        assertThat(granted).as("claim events are core/v1: nothing in events.k8s.io")
                .noneMatch(g -> g.group().equals("events.k8s.io"));
        assertThat(granted).as("the CSI controller never deletes claims or events")
                .noneMatch(g -> g.verb().equals("delete")
                        && (g.resource().equals("persistentvolumeclaims") || g.resource().equals("events")));
    }

    @Test
    void withoutSnapshotsNoSnapshotPermissionIsGranted() {
        Set<Grant> granted = Permissions.of(Charts.render("snapshot: {enabled: false}"), NS, "open-local-csi-controller");
        assertThat(granted).noneMatch(g -> g.group().contains("snapshot.storage.k8s.io"));
        assertThat(granted).contains(Grant.clusterWide("", "persistentvolumes", "create"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void noRuleUsesWildcardsOrTouchesSecrets(String values) {
        RenderedChart chart = ValueSets.render(values);
        for (JsonNode rule : Permissions.allRules(chart)) {
            for (String field : List.of("apiGroups", "resources", "verbs")) {
                assertThat(PodSpecs.texts(rule.path(field))).as("%s in %s", field, rule).doesNotContain("*")
                        .isNotEmpty();
            }
            assertThat(PodSpecs.texts(rule.path("resources"))).as("%s", rule)
                    .doesNotContain("secrets", "configmaps", "pods/exec", "nodes/proxy", "serviceaccounts/token");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void everyBindingNamesARenderedOrBuiltInRoleAndAServiceAccountOfTheChart(String values) {
        RenderedChart chart = ValueSets.render(values);
        Set<String> builtIn = Set.of("system:kube-scheduler", "system:volume-scheduler",
                "extension-apiserver-authentication-reader");
        for (var binding : Permissions.bindings(chart)) {
            String role = binding.body().path("roleRef").path("name").asText();
            boolean rendered = chart.find(binding.body().path("roleRef").path("kind").asText(), role).isPresent();
            assertThat(rendered || builtIn.contains(role)).as("%s role %s", binding, role).isTrue();
            for (JsonNode subject : binding.body().path("subjects")) {
                assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
                assertThat(subject.path("namespace").asText()).isEqualTo(NS);
                assertThat(chart.find("ServiceAccount", subject.path("name").asText())).as("%s", binding).isPresent();
            }
        }
    }

    @Test
    void secondSchedulerUsesTheBuiltInSchedulerRolesAndItsOwnLease() {
        Set<Grant> granted = Permissions.of(Charts.render("scheduler: {enabled: true}"), NS, "open-local-scheduler");
        assertThat(granted).contains(
                new Grant("builtin", "ClusterRole:system:kube-scheduler", "*", "*", "*"),
                new Grant("builtin", "ClusterRole:system:volume-scheduler", "*", "*", "*"),
                new Grant("builtin", "Role:extension-apiserver-authentication-reader", "*", "*", "kube-system"),
                new Grant("coordination.k8s.io", "leases", "update", "open-local-scheduler", NS));
    }
}

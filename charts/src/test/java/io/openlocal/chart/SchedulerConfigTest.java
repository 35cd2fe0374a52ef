package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.PodSpecs.Container;
import io.openlocal.chart.template.Yaml;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The KubeSchedulerConfiguration reaches the extender's Service at Open-Local's routes, without blocking pods. */
class SchedulerConfigTest {

    private static JsonNode schedulerConfig(RenderedChart chart, String key) throws Exception {
        String text = chart.get("ConfigMap", "open-local-scheduler-config").body().path("data").path(key).asText();
        JsonNode config = Yaml.mapper().readTree(text);
        assertThat(config.path("apiVersion").asText()).isEqualTo("kubescheduler.config.k8s.io/v1");
        assertThat(config.path("kind").asText()).isEqualTo("KubeSchedulerConfiguration");
        return config;
    }

    @Test
    void bothConfigurationsCallTheExtenderAtOpenLocalsRoutes() throws Exception {
        RenderedChart chart = Charts.renderDefault();
        for (String key : new String[] {"kube-scheduler-config.yaml", "scheduler-config.yaml"}) {
            JsonNode extenders = schedulerConfig(chart, key).path("extenders");
            assertThat(extenders.size()).as(key).isEqualTo(1);
            JsonNode extender = extenders.get(0);
            URI base = URI.create(extender.path("urlPrefix").asText());
            assertThat(base.getPath() + "/" + extender.path("filterVerb").asText()).isEqualTo(Contract.PREDICATES_ROUTE);
            assertThat(base.getPath() + "/" + extender.path("prioritizeVerb").asText()).isEqualTo(Contract.PRIORITIES_ROUTE);
            assertThat(base.getScheme()).isEqualTo("http");
            assertThat(extender.path("enableHTTPS").asBoolean(true)).isFalse();
            assertThat(extender.path("nodeCacheCapable").asBoolean()).isTrue();
            assertThat(extender.path("ignorable").asBoolean()).as("pods not using Open-Local are never blocked").isTrue();
            assertThat(extender.path("weight").asInt()).isPositive();
            assertThat(extender.has("managedResources")).as("every pod is sent").isFalse();
            assertThat(extender.has("bindVerb")).isFalse();
            assertThat(extender.has("preemptVerb")).isFalse();

            // The URL names the extender's Service, whose port leads to the container serving the routes.
            assertThat(base.getHost()).isEqualTo("open-local-scheduler-extender." + Charts.NAMESPACE + ".svc");
            JsonNode service = chart.get("Service", "open-local-scheduler-extender").body().path("spec");
            assertThat(service.path("ports").get(0).path("port").asInt()).isEqualTo(base.getPort())
                    .isEqualTo(Contract.EXTENDER_PORT);
            Container extenderContainer = PodSpecs.container(chart, "open-local-scheduler-extender", "scheduler-extender");
            int target = extenderContainer.port(service.path("ports").get(0).path("targetPort")).orElseThrow();
            assertThat(WorkloadTest.httpPort(chart, extenderContainer)).isEqualTo(target);
        }
    }

    @Test
    void theControlPlaneSnippetKeepsTheDefaultProfileAndTheSecondSchedulerHasItsOwn() throws Exception {
        RenderedChart chart = Charts.renderDefault();
        JsonNode forControlPlane = schedulerConfig(chart, "kube-scheduler-config.yaml");
        assertThat(forControlPlane.has("profiles")).isFalse();
        assertThat(forControlPlane.path("clientConnection").path("kubeconfig").asText())
                .isEqualTo("/etc/kubernetes/scheduler.conf");
        JsonNode second = schedulerConfig(chart, "scheduler-config.yaml");
        assertThat(second.path("profiles").get(0).path("schedulerName").asText()).isEqualTo("open-local-scheduler");
        assertThat(second.path("leaderElection").path("resourceName").asText()).isEqualTo("open-local-scheduler");
        assertThat(second.path("leaderElection").path("resourceNamespace").asText()).isEqualTo(Charts.NAMESPACE);
    }

    @Test
    void aFixedClusterIpIsUsedInsteadOfTheDnsNameForHostNetworkSchedulers() throws Exception {
        RenderedChart chart = Charts.render("extender: {service: {clusterIP: 10.96.0.230}}");
        URI base = URI.create(schedulerConfig(chart, "kube-scheduler-config.yaml").path("extenders").get(0)
                .path("urlPrefix").asText());
        assertThat(base.getHost()).isEqualTo("10.96.0.230");
        assertThat(chart.get("Service", "open-local-scheduler-extender").body().path("spec").path("clusterIP")
                .asText()).isEqualTo("10.96.0.230");
    }

    @Test
    void theSecondSchedulerReadsTheConfigurationFromTheConfigMap() {
        RenderedChart chart = Charts.render("scheduler: {enabled: true}");
        Container scheduler = PodSpecs.container(chart, "open-local-scheduler", "kube-scheduler");
        String configFlag = scheduler.flag("--config").orElseThrow();
        JsonNode volume = PodSpecs.volumeHolding(scheduler, configFlag).orElseThrow();
        assertThat(volume.path("configMap").path("name").asText()).isEqualTo("open-local-scheduler-config");
        assertThat(configFlag).endsWith("/scheduler-config.yaml");
        assertThat(Charts.renderDefault().find("Deployment", "open-local-scheduler"))
                .as("no second scheduler unless asked").isEmpty();
    }

    @Test
    void theExtenderRunsTwoReplicasBehindAPodDisruptionBudget() {
        RenderedChart chart = Charts.renderDefault();
        assertThat(chart.get("Deployment", "open-local-scheduler-extender").body().path("spec").path("replicas")
                .asInt()).isEqualTo(2);
        assertThat(chart.get("Service", "open-local-scheduler-extender").body().path("spec").path("sessionAffinity")
                .asText()).isEqualTo("ClientIP");
        assertThat(chart.find("PodDisruptionBudget", "open-local-scheduler-extender")).isPresent();
        assertThat(chart.get("Deployment", "open-local-controller").body().path("spec").path("replicas").asInt())
                .isEqualTo(2);
        assertThat(Charts.render("extender: {replicas: 1}").find("PodDisruptionBudget", "open-local-scheduler-extender"))
                .isEmpty();
    }
}

package io.openlocal.kube.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.openlocal.kube.crd.NodeLocalStorageStatus.FilteredStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.NodeStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.VolumeGroup;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model classes against the real client-java codec and the API-server emulator's REST protocol. */
class NodeLocalStorageApiTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    /** An NLS as Open-Local's docs show one (docs/api/nls_zh_CN.md), trimmed to the fields it sets. */
    private static final String OPEN_LOCAL_NLS = """
            {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage","metadata":{"name":"minikube"},
             "spec":{"nodeName":"minikube",
                     "listConfig":{"devices":{"include":["/dev/vd[b-d]+"]},"mountPoints":{"include":["/mnt/open-local/disk-[0-9]+"]},
                                   "vgs":{"include":["open-local-pool-[0-9]+"]}},
                     "resourceToBeInited":{"vgs":[{"devices":["/dev/vdb"],"name":"open-local-pool-0"}],
                                           "mountpoints":[{"device":"/dev/vdc","fsType":"ext4","options":["defaults"],"path":"/mnt/open-local/disk-1"}]}},
             "status":{"filteredStorageInfo":{"volumeGroups":["open-local-pool-0"],"mountPoints":["/mnt/open-local/disk-1"],
                                              "devices":["/dev/vdd"],
                                              "updateStatusInfo":{"lastUpdateTime":"2021-09-16T03:56:49Z","updateStatus":"accepted"}},
                       "nodeStorageInfo":{"deviceInfo":[{"condition":"DiskReady","mediaType":"hdd","name":"/dev/vdd","readOnly":false,"total":21474836480}],
                                          "phase":"Running",
                                          "state":{"lastHeartbeatTime":"2021-09-16T03:56:49Z","status":"True","type":"DiskReady"},
                                          "volumeGroups":[{"allocatable":21470642176,"available":21470642176,"condition":"DiskReady",
                                                           "name":"open-local-pool-0","physicalVolumes":["/dev/vdb"],"total":21470642176}]}}}
            """;

    @Test
    void openLocalDocumentDecodesWithEveryFieldItSets() {
        NodeLocalStorage nls = new JSON().deserialize(OPEN_LOCAL_NLS, NodeLocalStorage.class);
        assertThat(nls.getSpec().nodeName()).isEqualTo("minikube");
        assertThat(nls.getSpec().listConfig().devices().include()).containsExactly("/dev/vd[b-d]+");
        assertThat(nls.getSpec().listConfig().devices().exclude()).isEmpty();
        assertThat(nls.getSpec().resourceToBeInited().vgs()).containsExactly(
                new ResourceToBeInited.VgToInit("open-local-pool-0", List.of("/dev/vdb")));
        assertThat(nls.getSpec().resourceToBeInited().mountpoints().getFirst().fsType()).isEqualTo("ext4");
        VolumeGroup vg = nls.getStatus().nodeStorageInfo().volumeGroups().getFirst();
        assertThat(vg.allocatable()).isEqualTo(21470642176L);
        assertThat(vg.logicalVolumes()).isEmpty();
        assertThat(nls.getStatus().filteredStorageInfo().devices()).containsExactly("/dev/vdd");
        assertThat(nls.getStatus().nodeStorageInfo().state().lastHeartbeatTime().getYear()).isEqualTo(2021);
    }

    @Test
    void createReadAndUpdateStatusThroughTheRestApi() throws Exception {
        ApiClient client = ClientBuilder.standard().setBasePath(api.url()).build();
        var nlsApi = Crds.nodeLocalStorages(client);
        var spec = new NodeLocalStorageSpec("node-a", null,
                new ResourceToBeInited(List.of(new ResourceToBeInited.VgToInit("pool0", List.of("/dev/sdb"))), null,
                        null), null);
        KubernetesApiResponse<NodeLocalStorage> created =
                nlsApi.create(new NodeLocalStorage(new V1ObjectMeta().name("node-a"), spec, null));
        assertThat(created.isSuccess()).as(created.toString()).isTrue();

        NodeLocalStorage read = nlsApi.get("node-a").throwsApiException().getObject();
        assertThat(read.getSpec()).isEqualTo(spec);

        read.setStatus(new NodeLocalStorageStatus(
                new NodeStorageInfo(null, List.of(new VolumeGroup("pool0", List.of("/dev/sdb"), null, 100L, 60L, 90L,
                        "DiskReady")), null, null, "Running", null),
                new FilteredStorageInfo(List.of("pool0"), null, null, null, null), null));
        NodeLocalStorage written = Crds.replaceStatus(client, read);
        assertThat(written.getStatus()).isEqualTo(read.getStatus());

        NodeLocalStorage again = nlsApi.get("node-a").throwsApiException().getObject();
        assertThat(again.getStatus().nodeStorageInfo().volumeGroups().getFirst().available()).isEqualTo(60L);
        assertThat(nlsApi.list().throwsApiException().getObject().getItems()).hasSize(1);
    }
}

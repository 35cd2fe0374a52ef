package io.openlocal.controller.initconfig;

import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec.NodeConfig;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.crd.SpdkConfig;
import java.util.Map;

/**
 * The NLS spec a node gets from the NLSC, by Open-Local's rule (pkg/controller {@code updateNLSSpec}): start from
 * {@code globalConfig}; then for each {@code nodesConfig} entry in order whose selector matches the node's
 * labels, take that entry's {@code listConfig}, {@code resourceToBeInited} and {@code spdkConfig} in place of
 * what is there. The replacement is whole, part by part: an entry that matches but leaves a part out leaves that
 * part empty, and the last matching entry decides all three parts. Pure function.
 */
public final class SpecMerger {

    private SpecMerger() {
    }

    public static NodeLocalStorageSpec merge(NodeLocalStorageInitConfigSpec nlsc, String nodeName,
                                             Map<String, String> nodeLabels) {
        ListConfig list = null;
        ResourceToBeInited init = null;
        SpdkConfig spdk = null;
        if (nlsc != null && nlsc.globalConfig() != null) {
            list = nlsc.globalConfig().listConfig();
            init = nlsc.globalConfig().resourceToBeInited();
            spdk = nlsc.globalConfig().spdkConfig();
        }
        if (nlsc != null) {
            for (NodeConfig entry : nlsc.nodesConfig()) {
                if (entry != null && LabelSelectors.matches(entry.selector(), nodeLabels)) {
                    list = entry.listConfig();
                    init = entry.resourceToBeInited();
                    spdk = entry.spdkConfig();
                }
            }
        }
        return new NodeLocalStorageSpec(nodeName, list, init, spdk);
    }
}

package io.openlocal.controller.initconfig;

import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.crd.SpdkConfig;
import java.util.Objects;

/**
 * Whether two NLS specs mean the same: a missing part and an empty one are alike (an NLS read back from the API
 * server, or written by hand, may spell "nothing" either way), so the controller never rewrites a spec that is
 * already right.
 */
public final class SpecEquivalence {

    private static final IncludeExclude NONE = new IncludeExclude(null, null);

    private SpecEquivalence() {
    }

    public static boolean same(NodeLocalStorageSpec a, NodeLocalStorageSpec b) {
        return Objects.equals(normal(a), normal(b));
    }

    static NodeLocalStorageSpec normal(NodeLocalStorageSpec s) {
        if (s == null) {
            s = new NodeLocalStorageSpec(null, null, null, null);
        }
        ListConfig l = s.listConfig() == null ? new ListConfig(null, null, null) : s.listConfig();
        ListConfig list = new ListConfig(part(l.devices()), part(l.mountPoints()), part(l.vgs()));
        ResourceToBeInited init = s.resourceToBeInited() == null ? new ResourceToBeInited(null, null, null)
                : s.resourceToBeInited();
        SpdkConfig spdk = s.spdkConfig() == null ? new SpdkConfig(null, null) : s.spdkConfig();
        spdk = new SpdkConfig(emptyToNull(spdk.deviceType()), emptyToNull(spdk.rpcSocket()));
        return new NodeLocalStorageSpec(emptyToNull(s.nodeName()), list, init, spdk);
    }

    private static IncludeExclude part(IncludeExclude p) {
        return p == null ? NONE : p;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

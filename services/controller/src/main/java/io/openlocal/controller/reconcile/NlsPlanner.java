package io.openlocal.controller.reconcile;

import io.kubernetes.client.openapi.models.V1Node;
import io.openlocal.controller.initconfig.SpecEquivalence;
import io.openlocal.controller.initconfig.SpecMerger;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageInitConfig;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.spec.SpecProblem;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides what to do about one name (a node and its NLS share it), from what the caches hold. Pure, so every
 * rule is tested without an API server:
 * <ul>
 *   <li>no node, an NLS → delete the NLS (the node is gone);</li>
 *   <li>a node, no NLSC or an invalid NLSC → leave everything as it is (nothing is created from a config that
 *       is missing or wrong);</li>
 *   <li>a node, no NLS → create it with the merged spec (also when an NLS was deleted by hand);</li>
 *   <li>a node, an NLS whose spec differs from the merged one → put it back, unless updates are off
 *       (Open-Local's {@code update_nls}); an NLS that already says the same is never rewritten.</li>
 * </ul>
 */
public final class NlsPlanner {

    /** What to do. */
    public sealed interface Action {
        String name();
    }

    public record Create(String name, NodeLocalStorageSpec spec) implements Action {
    }

    public record Update(String name, NodeLocalStorageSpec spec, NodeLocalStorageSpec before) implements Action {
    }

    public record Delete(String name, String uid) implements Action {
    }

    public record Leave(String name, String why) implements Action {
    }

    private NlsPlanner() {
    }

    public static Action plan(String name, V1Node node, NodeLocalStorage nls, NodeLocalStorageInitConfig nlsc,
                              List<SpecProblem> nlscProblems, boolean updateNls) {
        if (node == null) {
            if (nls == null) {
                return new Leave(name, "neither a node nor an NLS");
            }
            if (nls.getMetadata().getDeletionTimestamp() != null) {
                return new Leave(name, "the NLS is being deleted");
            }
            return new Delete(name, nls.getMetadata().getUid());
        }
        if (nlsc == null) {
            return new Leave(name, "no NodeLocalStorageInitConfig to build the NLS from");
        }
        if (!nlscProblems.isEmpty()) {
            return new Leave(name, "NodeLocalStorageInitConfig " + nlsc.getMetadata().getName() + " is invalid: "
                    + nlscProblems.stream().map(Object::toString).collect(Collectors.joining("; ")));
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        NodeLocalStorageSpec desired = SpecMerger.merge(nlsc.getSpec(), name, labels);
        if (nls == null) {
            return new Create(name, desired);
        }
        if (nls.getMetadata().getDeletionTimestamp() != null) {
            return new Leave(name, "the NLS is being deleted; it is created again once it is gone");
        }
        if (SpecEquivalence.same(nls.getSpec(), desired)) {
            return new Leave(name, "the NLS spec is in line with the NLSC");
        }
        if (!updateNls) {
            return new Leave(name, "the NLS spec differs from the NLSC, and NLS updates are off (updateNls: false)");
        }
        return new Update(name, desired, nls.getSpec());
    }
}

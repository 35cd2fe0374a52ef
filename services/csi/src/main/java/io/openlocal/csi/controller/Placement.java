package io.openlocal.csi.controller;

import io.grpc.Status;
import io.openlocal.csi.grpc.Errors;
import io.openlocal.csi.nodeapi.NodeDirectory;
import io.openlocal.csi.v1.Topology;
import io.openlocal.csi.v1.TopologyRequirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which node a new volume goes to. Local volumes are reachable from one node only, named by the topology segment
 * {@code kubernetes.io/hostname}. With WaitForFirstConsumer the provisioner passes the node the scheduler chose as
 * the first preferred topology; without requirements the volume goes where its content source lives, or to the
 * default node (standalone mode).
 */
final class Placement {

    private Placement() {
    }

    static String chooseNode(Optional<TopologyRequirement> requirement, Optional<String> sourceNode,
                             NodeDirectory nodes, String topologyKey) {
        Set<String> requisite = new LinkedHashSet<>();
        List<String> preferred = new ArrayList<>();
        boolean constrained = false;
        if (requirement.isPresent()) {
            for (Topology t : requirement.get().getRequisiteList()) {
                String node = t.getSegmentsMap().get(topologyKey);
                if (node != null) {
                    requisite.add(node);
                    constrained = true;
                }
            }
            for (Topology t : requirement.get().getPreferredList()) {
                String node = t.getSegmentsMap().get(topologyKey);
                if (node != null) {
                    preferred.add(node);
                }
            }
        }
        if (sourceNode.isPresent()) {
            if (constrained && !requisite.contains(sourceNode.get())) {
                throw Errors.status(Status.Code.RESOURCE_EXHAUSTED, "volume_content_source lives on node "
                        + sourceNode.get() + ", which accessibility_requirements do not allow (" + requisite + ")");
            }
            return sourceNode.get();
        }
        for (String node : preferred) {
            if ((!constrained || requisite.contains(node)) && nodes.node(node).isPresent()) {
                return node;
            }
        }
        for (String node : requisite) {
            if (nodes.node(node).isPresent()) {
                return node;
            }
        }
        if (constrained || !preferred.isEmpty()) {
            throw Errors.status(Status.Code.RESOURCE_EXHAUSTED, "accessibility_requirements: none of the nodes "
                    + (constrained ? requisite : preferred) + " is known to this controller (known: "
                    + nodes.nodeNames() + ")");
        }
        return nodes.defaultNode().orElseThrow(() -> Errors.invalid("accessibility_requirements: a topology with "
                + topologyKey + " is required to place a local volume (use a WaitForFirstConsumer StorageClass)"));
    }
}

package io.openlocal.csi.nodeapi;

import java.util.List;
import java.util.Optional;

/** The nodes the controller can reach, by name. */
public interface NodeDirectory {

    /** The node API of a node, if the node is known. */
    Optional<NodeStorage> node(String name);

    /** Every known node, sorted by name. */
    List<String> nodeNames();

    /** Where a volume goes when the request names no node (standalone mode: this node). */
    Optional<String> defaultNode();

    /** A directory of fixed nodes (standalone mode, tests). */
    static NodeDirectory of(List<NodeStorage> nodes, Optional<String> defaultNode) {
        java.util.Map<String, NodeStorage> byName = new java.util.TreeMap<>();
        for (NodeStorage node : nodes) {
            byName.put(node.nodeName(), node);
        }
        defaultNode.ifPresent(name -> {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("default node " + name + " is not among " + byName.keySet());
            }
        });
        return new NodeDirectory() {
            @Override
            public Optional<NodeStorage> node(String name) {
                return Optional.ofNullable(byName.get(name));
            }

            @Override
            public List<String> nodeNames() {
                return List.copyOf(byName.keySet());
            }

            @Override
            public Optional<String> defaultNode() {
                return defaultNode;
            }
        };
    }
}

package io.openlocal.csi.cluster;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import java.util.List;
import java.util.Optional;

/** Where a node's CSI node plugin listens: the Node's InternalIP, else its ExternalIP, else its Hostname. */
final class NodeAddresses {

    private static final List<String> PREFERENCE = List.of("InternalIP", "ExternalIP", "Hostname");

    private NodeAddresses() {
    }

    static Optional<String> of(V1Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        List<V1NodeAddress> addresses = node.getStatus().getAddresses();
        for (String type : PREFERENCE) {
            for (V1NodeAddress address : addresses) {
                if (type.equals(address.getType()) && address.getAddress() != null
                        && !address.getAddress().isBlank()) {
                    return Optional.of(address.getAddress());
                }
            }
        }
        return Optional.empty();
    }
}

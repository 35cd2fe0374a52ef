package io.openlocal.kube.crd;

/**
 * SPDK settings of a node (NLS {@code spec.spdkConfig}); a node with {@code rpcSocket} set is an SPDK node.
 *
 * @param deviceType the kind of SPDK block devices (Open-Local's field, at most 8 characters)
 * @param rpcSocket  the unix socket of the node's {@code spdk_tgt}
 */
public record SpdkConfig(String deviceType, String rpcSocket) {
}

package io.openlocal.kube.crd;

/** Desired storage of one node; written only by the controller. */
public record NodeLocalStorageSpec(String nodeName, ListConfig listConfig, ResourceToBeInited resourceToBeInited,
                                   SpdkConfig spdkConfig) {
}

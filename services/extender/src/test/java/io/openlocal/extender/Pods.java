package io.openlocal.extender;

import java.util.List;
import java.util.stream.Collectors;

/** JSON for kube-scheduler ExtenderArgs in tests. */
public final class Pods {

    private Pods() {
    }

    /** A Pod using the named claims. */
    public static String pod(String namespace, String name, String... claims) {
        String volumes = java.util.stream.IntStream.range(0, claims.length)
                .mapToObj(i -> "{\"name\":\"v" + i + "\",\"persistentVolumeClaim\":{\"claimName\":\"" + claims[i] + "\"}}")
                .collect(Collectors.joining(","));
        return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\",\"uid\":\"u-" + name
                + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}],\"volumes\":[" + volumes + "]}}";
    }

    /** {@code {"Pod": pod, "NodeNames": [...]}} as kube-scheduler sends with nodeCacheCapable. */
    public static String args(String pod, List<String> nodes) {
        return "{\"Pod\":" + pod + ",\"NodeNames\":[" + nodes.stream().map(n -> "\"" + n + "\"")
                .collect(Collectors.joining(",")) + "]}";
    }

    /** {@code {"Pod": pod, "Nodes": {"items": [...]}}} as kube-scheduler sends without nodeCacheCapable. */
    public static String argsWithNodes(String pod, List<String> nodes) {
        return "{\"Pod\":" + pod + ",\"Nodes\":{\"apiVersion\":\"v1\",\"kind\":\"NodeList\",\"items\":["
                + nodes.stream().map(n -> "{\"metadata\":{\"name\":\"" + n + "\",\"labels\":{\"zone\":\"z1\"}},"
                        + "\"status\":{\"capacity\":{\"cpu\":\"4\"}}}").collect(Collectors.joining(",")) + "]}}";
    }
}

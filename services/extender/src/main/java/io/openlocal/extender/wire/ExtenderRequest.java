package io.openlocal.extender.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.scheduling.catalog.PodVolumes;
import java.util.List;

/**
 * A decoded kube-scheduler {@code ExtenderArgs}.
 *
 * @param pod       the pod's claim-backed volumes
 * @param nodeNames the nodes asked about, in order
 * @param nodeItems the full Node objects when the scheduler sent {@code Nodes} (not node-cache capable), to
 *                  echo back the ones that pass; null when it sent {@code NodeNames}
 */
public record ExtenderRequest(PodVolumes pod, List<String> nodeNames, List<JsonNode> nodeItems) {
}

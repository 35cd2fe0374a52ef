package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Writes an lvstore's metadata to its base device and reads it back when the device is examined. */
final class LvstoreCodec {

    private final ObjectMapper mapper;

    LvstoreCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void write(Lvstore lvs) {
        if (lvs.base.backing == null) {
            return;
        }
        ObjectNode root = mapper.createObjectNode();
        root.put("uuid", lvs.uuid).put("name", lvs.name).put("clusterSize", lvs.clusterSize);
        ObjectNode geometry = root.putObject("geometry");
        geometry.put("totalClusters", lvs.geometry.totalClusters())
                .put("metadataPages", lvs.geometry.metadataPages())
                .put("metadataClusters", lvs.geometry.metadataClusters())
                .put("clusterMaskPages", lvs.geometry.clusterMaskPages());
        ArrayNode lvols = root.putArray("lvols");
        for (Lvol lvol : lvs.lvols) {
            ObjectNode node = lvols.addObject();
            node.put("uuid", lvol.uuid).put("name", lvol.name).put("numClusters", lvol.numClusters)
                    .put("thin", lvol.thin).put("allocatedClusters", lvol.allocatedClusters)
                    .put("readOnly", lvol.readOnly).put("snapshot", lvol.snapshot)
                    .put("parent", lvol.parent == null ? null : lvol.parent.uuid);
            if (lvol.clearMethod != null) {
                node.put("clearMethod", lvol.clearMethod);
            }
            ArrayNode clones = node.putArray("clones");
            lvol.clones.forEach(c -> clones.add(c.uuid));
        }
        lvs.base.backing.writeMetadata(root.toString());
    }

    /** The lvstore recorded on {@code base}, rebuilt (lvol bdevs not yet registered), if any. */
    Optional<Lvstore> read(Bdev base) {
        if (base.backing == null) {
            return Optional.empty();
        }
        Optional<String> text = base.backing.readMetadata();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode root = mapper.readTree(text.get());
            JsonNode g = root.get("geometry");
            LvstoreGeometry geometry = new LvstoreGeometry(g.get("totalClusters").asLong(),
                    g.get("metadataPages").asLong(), g.get("metadataClusters").asLong(),
                    g.get("clusterMaskPages").asLong());
            Lvstore lvs = new Lvstore(root.get("uuid").asText(), root.get("name").asText(), base,
                    root.get("clusterSize").asLong(), geometry);
            Map<String, Lvol> byUuid = new HashMap<>();
            for (JsonNode node : root.get("lvols")) {
                Lvol lvol = new Lvol(node.get("uuid").asText(), node.get("name").asText(), lvs);
                lvol.numClusters = node.get("numClusters").asLong();
                lvol.thin = node.get("thin").asBoolean();
                lvol.allocatedClusters = node.get("allocatedClusters").asLong();
                lvol.readOnly = node.get("readOnly").asBoolean();
                lvol.snapshot = node.get("snapshot").asBoolean();
                lvol.clearMethod = node.hasNonNull("clearMethod") ? node.get("clearMethod").asText() : null;
                lvs.lvols.add(lvol);
                byUuid.put(lvol.uuid, lvol);
            }
            for (JsonNode node : root.get("lvols")) {
                Lvol lvol = byUuid.get(node.get("uuid").asText());
                if (node.hasNonNull("parent")) {
                    lvol.parent = byUuid.get(node.get("parent").asText());
                }
                for (JsonNode clone : node.get("clones")) {
                    lvol.clones.add(byUuid.get(clone.asText()));
                }
            }
            return Optional.of(lvs);
        } catch (IOException | NullPointerException e) {
            // Metadata this emulator cannot read is treated like a device without an lvstore.
            return Optional.empty();
        }
    }
}

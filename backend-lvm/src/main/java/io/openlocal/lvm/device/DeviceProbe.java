package io.openlocal.lvm.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks at a device before it is made a PV, reading only: signatures from {@code wipefs --no-act --json}
 * (it reads the disk itself, so it sees filesystems that udev never announced), mounts and children from
 * {@code lsblk --json}, holders from sysfs.
 */
public final class DeviceProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandRunner runner;
    private final Duration timeout;

    public DeviceProbe(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /**
     * @throws StorageException.NotFound        when the path does not exist
     * @throws StorageException.InvalidArgument when it is not a block device
     */
    public DeviceState probe(String device) {
        Path path = Path.of(device);
        if (!Files.exists(path)) {
            throw new StorageException.NotFound("devices: " + device + " does not exist");
        }
        String realPath;
        try {
            realPath = path.toRealPath().toString();
        } catch (IOException e) {
            throw new StorageException.NotFound("devices: cannot resolve " + device + ": " + e.getMessage());
        }
        JsonNode blockDevice = lsblk(device);
        List<String> mountpoints = new ArrayList<>();
        for (JsonNode mp : blockDevice.path("mountpoints")) {
            if (!mp.isNull() && !mp.asText().isEmpty()) {
                mountpoints.add(mp.asText());
            }
        }
        List<String> children = new ArrayList<>();
        for (JsonNode child : blockDevice.path("children")) {
            children.add(child.path("path").asText(child.path("name").asText()));
        }
        return new DeviceState(device, realPath, signatures(device), mountpoints, children, holders(realPath));
    }

    private JsonNode lsblk(String device) {
        CommandResult result = runner.run(Command.of("lsblk", "--json", "--bytes", "--output",
                "NAME,PATH,TYPE,MOUNTPOINTS", device).withTimeout(timeout));
        if (!result.succeeded()) {
            throw new StorageException.InvalidArgument("devices: " + device + " is not a usable block device ("
                    + result.describe() + ")");
        }
        JsonNode devices = readJson(result, "blockdevices");
        if (devices.size() != 1) {
            throw new StorageException.Internal("lsblk listed " + devices.size() + " devices for " + device);
        }
        return devices.get(0);
    }

    private List<String> signatures(String device) {
        CommandResult result = runner.run(Command.of("wipefs", "--no-act", "--json", device).withTimeout(timeout));
        if (!result.succeeded()) {
            throw new StorageException.Unavailable("devices: cannot probe " + device + " for signatures: "
                    + result.describe());
        }
        List<String> signatures = new ArrayList<>();
        if (result.stdout().isBlank()) {
            return signatures; // wipefs prints nothing at all for a blank device in some versions
        }
        for (JsonNode signature : readJson(result, "signatures")) {
            signatures.add(signature.path("type").asText("unknown") + "@" + signature.path("offset").asText("?"));
        }
        return signatures;
    }

    private static List<String> holders(String realPath) {
        Path dir = Path.of("/sys/class/block", Path.of(realPath).getFileName().toString(), "holders");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(CommandResult result, String field) {
        try {
            return JSON.readTree(result.stdout()).path(field);
        } catch (IOException e) {
            throw new StorageException.Internal("cannot read the JSON of '" + result.command().display() + "': "
                    + e.getMessage(), e);
        }
    }
}

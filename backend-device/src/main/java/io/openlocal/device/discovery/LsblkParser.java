package io.openlocal.device.discovery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code lsblk --json --bytes} output into {@link LsblkDevice} records with Jackson's streaming parser:
 * one pass, no intermediate tree, unknown fields skipped. Accepts the shapes of util-linux 2.33 to 2.40:
 * sizes and flags as numbers, booleans or strings, and {@code mountpoint} or {@code mountpoints}.
 */
public final class LsblkParser {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private LsblkParser() {
    }

    /** The top-level devices, each with its children. */
    public static List<LsblkDevice> parse(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            List<LsblkDevice> devices = new ArrayList<>();
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = next(p);
                if (field.equals("blockdevices") && value == JsonToken.START_ARRAY) {
                    while (next(p) != JsonToken.END_ARRAY) {
                        devices.add(device(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
            return devices;
        } catch (IOException e) {
            throw new StorageException.Internal("cannot read lsblk output: " + e.getMessage(), e);
        }
    }

    private static LsblkDevice device(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        String name = null;
        String kname = null;
        String path = null;
        String majMin = null;
        String type = null;
        long size = 0;
        boolean rota = false;
        boolean ro = false;
        String fsType = null;
        String ptType = null;
        List<String> mountpoints = new ArrayList<>();
        String wwn = null;
        String serial = null;
        List<LsblkDevice> children = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = next(p);
            switch (field) {
                case "name" -> name = text(p, token);
                case "kname" -> kname = text(p, token);
                case "path" -> path = text(p, token);
                case "maj:min" -> majMin = text(p, token);
                case "type" -> type = text(p, token);
                case "size" -> size = number(p, token, field);
                case "rota" -> rota = flag(p, token, field);
                case "ro" -> ro = flag(p, token, field);
                case "fstype" -> fsType = text(p, token);
                case "pttype" -> ptType = text(p, token);
                case "wwn" -> wwn = text(p, token);
                case "serial" -> serial = text(p, token);
                case "mountpoint" -> {
                    String mp = text(p, token);
                    if (mp != null && !mountpoints.contains(mp)) {
                        mountpoints.add(mp);
                    }
                }
                case "mountpoints" -> {
                    expect(p, token, JsonToken.START_ARRAY);
                    while (next(p) != JsonToken.END_ARRAY) {
                        String mp = text(p, p.currentToken());
                        if (mp != null && !mountpoints.contains(mp)) {
                            mountpoints.add(mp);
                        }
                    }
                }
                case "children" -> {
                    expect(p, token, JsonToken.START_ARRAY);
                    while (next(p) != JsonToken.END_ARRAY) {
                        children.add(device(p));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (name == null) {
            throw new StorageException.Internal("lsblk output has a device without a name");
        }
        return new LsblkDevice(name, kname == null ? name : kname, path == null ? "/dev/" + name : path, majMin,
                type, size, rota, ro, fsType, ptType, mountpoints, wwn, serial, children);
    }

    /** The next token; the end of input inside the document is an error, never a silent stop. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        if (token == null) {
            throw new StorageException.Internal("lsblk output ends in the middle of the document");
        }
        return token;
    }

    private static String text(JsonParser p, JsonToken token) throws IOException {
        if (token == null) {
            throw new StorageException.Internal("lsblk output ends in the middle of the document");
        }
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
            default -> throw new StorageException.Internal("lsblk output: expected a value for '"
                    + p.currentName() + "', got " + token);
        };
    }

    private static long number(JsonParser p, JsonToken token, String field) throws IOException {
        try {
            return switch (token) {
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_STRING -> Long.parseLong(p.getText().strip());
                case VALUE_NULL -> 0;
                default -> throw new NumberFormatException(token.toString());
            };
        } catch (NumberFormatException e) {
            throw new StorageException.Internal("lsblk output: '" + field + "' is not a byte count (was lsblk run "
                    + "with --bytes?): " + p.getText());
        }
    }

    private static boolean flag(JsonParser p, JsonToken token, String field) throws IOException {
        return switch (token) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            case VALUE_NUMBER_INT -> p.getIntValue() != 0;
            case VALUE_STRING -> switch (p.getText().strip()) {
                case "1", "true" -> true;
                case "0", "false", "" -> false;
                default -> throw new StorageException.Internal("lsblk output: '" + field + "' is not a flag: "
                        + p.getText());
            };
            default -> throw new StorageException.Internal("lsblk output: '" + field + "' is not a flag: " + token);
        };
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new StorageException.Internal("lsblk output: expected " + expected + " but found " + actual
                    + " at " + p.currentLocation());
        }
    }
}

package io.openlocal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final String YAML = """
            node:
              name: node-1
              interval: 30s
              pools:
                - type: LVM
                  name: vg0
                  size: 1Gi
                  devices: [/dev/loop0, /dev/loop1]
                - type: Device
                  size: 12X
              backend:
                lvNamePrefix: local
            """;

    @Test
    void typedValuesAndLists() {
        Settings node = Settings.fromYaml(YAML).section("node");
        assertThat(node.string("name")).isEqualTo("node-1");
        assertThat(node.duration("interval", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        Settings first = node.sections("pools").getFirst();
        assertThat(first.bytes("size")).isEqualTo(1L << 30);
        assertThat(first.strings("devices")).containsExactly("/dev/loop0", "/dev/loop1");
        assertThat(node.stringMap("backend")).containsEntry("lvNamePrefix", "local");
    }

    @Test
    void errorsNameTheFullKey() {
        Settings node = Settings.fromYaml(YAML).section("node");
        assertThatThrownBy(() -> node.sections("pools").get(1).bytes("size"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'node.pools.1.size'")
                .hasMessageContaining("12X");
        assertThatThrownBy(() -> node.string("missing"))
                .hasMessageStartingWith("config key 'node.missing': is required");
        assertThatThrownBy(() -> node.string("pools")).hasMessageContaining("must be a plain value");
    }

    @Test
    void unknownKeysAreRejected() {
        Settings node = Settings.fromYaml(YAML).section("node");
        assertThatThrownBy(() -> node.allowOnly("name", "pools", "backend"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key(s) [interval]");
    }

    @Test
    void badDurationAndIntegerAreRejected() {
        Settings s = Settings.fromYaml("a: 5 minutes\nb: 70000\nc: maybe\n");
        assertThatThrownBy(() -> s.duration("a", Duration.ZERO)).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> s.integer("b", 1, 1, 65535)).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> s.bool("c", false)).hasMessageContaining("not true or false");
    }

    @Test
    void dottedBackendKeysComeBackFlat() {
        Settings s = Settings.fromYaml("settings:\n  device.include: '^loop[0-9]+$'\n  lvNamePrefix: local\n");
        assertThat(s.flatStringMap("settings"))
                .containsEntry("device.include", "^loop[0-9]+$").containsEntry("lvNamePrefix", "local");
        assertThatThrownBy(() -> Settings.fromYaml("settings:\n  a: [1, 2]\n").flatStringMap("settings"))
                .hasMessageContaining("must be a plain value or a map");
    }

    @Test
    void flagOverridesWinOverTheFile() {
        Settings node = Settings.fromYaml(YAML).section("node");
        assertThat(node.withOverride("name", "node-2").string("name")).isEqualTo("node-2");
        assertThat(node.withOverride("name", null).string("name")).isEqualTo("node-1");
        assertThat(Settings.fromYaml("{}").withOverride("nodeName", "n").string("nodeName")).isEqualTo("n");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> Settings.fromFile(java.nio.file.Path.of("/nonexistent/open-local.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such configuration file");
    }
}

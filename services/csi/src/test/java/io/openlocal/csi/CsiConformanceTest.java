package io.openlocal.csi;

import io.grpc.Channel;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.testinfra.csi.CsiConformanceSuite;
import io.openlocal.testinfra.csi.CsiTarget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CSI conformance suite against the standalone plugin over its real unix socket, with real loop devices:
 * Device volumes (stageable: mkfs and mounts for real) and LVM volumes (controller path; this kernel has no
 * device-mapper, so LVs are made inactive and never staged here).
 */
class CsiConformanceTest extends CsiConformanceSuite {

    @RegisterExtension
    static final ClassScopedLoops LOOPS = new ClassScopedLoops();

    private PluginFixture plugin;

    @BeforeAll
    void startPlugin() {
        plugin = new PluginFixture(LOOPS, 4, 64 * Sizes.MiB, 512 * Sizes.MiB);
    }

    @AfterAll
    void stopPlugin() {
        if (plugin != null) {
            plugin.close();
        }
    }

    @Override
    protected CsiTarget target() {
        return new CsiTarget() {
            @Override
            public Channel channel() {
                return plugin.client.channel();
            }

            @Override
            public Path kubeletDir() {
                return plugin.kubeletDir;
            }

            @Override
            public Map<String, String> mountableParameters() {
                return plugin.deviceParameters();
            }

            @Override
            public long mountableBytes() {
                return 32 * Sizes.MiB;
            }

            @Override
            public Map<String, String> expandableParameters() {
                return plugin.lvmParameters();
            }

            @Override
            public long expandableBytes() {
                return 16 * Sizes.MiB;
            }

            @Override
            public String diskState() {
                return plugin.diskState();
            }
        };
    }
}

package io.openlocal.csi;

import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link LoopDevices} whose loops live for a whole test class rather than one test: the plugin under test keeps
 * its pools across the conformance suite's tests. Everything is still taken down after the class (and by the
 * harness's leftover sweep after a crash).
 */
public final class ClassScopedLoops implements BeforeAllCallback, AfterAllCallback {

    private final LoopDevices loops = new LoopDevices();

    @Override
    public void beforeAll(ExtensionContext context) {
        loops.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        loops.afterAll(context);
    }

    public LoopDevice create(long sizeBytes, boolean solidState) {
        return loops.create(sizeBytes, solidState);
    }

    public Path directory(String prefix) {
        return loops.directory(prefix);
    }

    /** Takes down what was made so far (the plugin must have been stopped first). */
    public void cleanUp() {
        loops.cleanUp();
    }
}

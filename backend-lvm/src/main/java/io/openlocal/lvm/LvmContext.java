package io.openlocal.lvm;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.lvm.command.DeviceMapper;
import io.openlocal.lvm.command.LvmCli;
import io.openlocal.lvm.command.LvmFailures;
import io.openlocal.lvm.report.ReportCache;
import io.openlocal.lvm.volume.Ownership;
import io.openlocal.lvm.volume.VolumeViews;

/** What the backend's operations share: settings, the command line builder, the report cache, the VG locks. */
record LvmContext(LvmSettings settings, CommandRunner runner, LvmCli cli, ReportCache reports, VgLocks locks,
                  DeviceMapper deviceMapper, Ownership ownership, VolumeViews views) {

    /** Runs a change and forgets the cached report whatever the outcome (a failed command may have done part). */
    CommandResult change(Command command, String object) {
        try {
            CommandResult result = runner.run(command);
            if (!result.succeeded()) {
                throw LvmFailures.of(result, object);
            }
            return result;
        } finally {
            reports.invalidate();
        }
    }
}

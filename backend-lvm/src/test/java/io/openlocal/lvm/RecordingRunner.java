package io.openlocal.lvm;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A runner that records every argument array and answers as a node would: {@code dmsetup version} succeeds
 * or fails as the node has device-mapper or not, {@code lvm fullreport} prints a fixture (the "after" fixture
 * once an lvcreate ran), every other command succeeds. It lets tests pin the exact lvm2 command lines of paths
 * this machine cannot run (thin pools and snapshots need device-mapper).
 */
final class RecordingRunner implements CommandRunner {

    private final boolean deviceMapper;
    private final String before;
    private final String after;
    private final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean created;

    RecordingRunner(boolean deviceMapper, String beforeFixture, String afterFixture) {
        this.deviceMapper = deviceMapper;
        this.before = HostLvm.resource(beforeFixture);
        this.after = HostLvm.resource(afterFixture);
    }

    @Override
    public CommandResult run(Command command) {
        List<String> argv = command.argv();
        commands.add(argv);
        if (argv.getFirst().equals("dmsetup")) {
            return new CommandResult(command, deviceMapper ? 0 : 1, "", deviceMapper ? ""
                    : "/dev/mapper/control: open failed: No such device", 1);
        }
        if (argv.size() > 1 && argv.get(1).equals("fullreport")) {
            return new CommandResult(command, 0, created ? after : before, "", 1);
        }
        if (argv.size() > 1 && argv.get(1).equals("lvcreate")) {
            created = true;
        }
        return new CommandResult(command, 0, "", "", 1);
    }

    /** Every command run so far. */
    List<List<String>> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** The lvm commands that change something (everything but reports and version queries). */
    List<List<String>> changes() {
        return commands().stream().filter(argv -> argv.getFirst().equals("lvm")
                && !argv.get(1).equals("fullreport") && !argv.get(1).equals("version")).toList();
    }

    void clear() {
        commands.clear();
    }
}

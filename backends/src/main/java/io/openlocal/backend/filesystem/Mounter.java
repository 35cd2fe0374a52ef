package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Mounts and unmounts with {@code mount(8)}/{@code umount(8)}, idempotently: mounting what is already mounted
 * there as asked does nothing, unmounting what is not mounted succeeds. Whether something is mounted is
 * decided from mountinfo by device number and filesystem root, never from paths as strings.
 */
public final class Mounter {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Filesystem type names as mount takes them ({@code ext4}, {@code xfs}, {@code tmpfs}, {@code fuse.sshfs}). */
    private static final Pattern FS_TYPE = Pattern.compile("[a-z0-9][a-z0-9._]{0,31}");

    /** Stacked mounts at one target are taken off one by one; more than this is not ours. */
    private static final int MAX_STACKED = 16;

    private final CommandRunner runner;
    private final Duration timeout;
    private final Path sysfsRoot;
    private final Supplier<MountTable> mounts;

    public Mounter(CommandRunner runner) {
        this(runner, DEFAULT_TIMEOUT, Path.of("/sys"), MountTable::read);
    }

    public Mounter(CommandRunner runner, Duration timeout, Path sysfsRoot, Supplier<MountTable> mounts) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.sysfsRoot = Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
    }

    /**
     * Mounts the filesystem on {@code device} at the existing directory {@code target}.
     *
     * @param options  filesystem options, checked by {@link MountOptions}; {@code ro}/{@code rw} are set by
     *                 {@code readOnly} and refused here
     * @return true if it mounted now, false if that device was already mounted there the same way
     * @throws StorageException.Busy            something else is mounted at the target, or the device is mounted
     *                                          there with the other read-only setting
     * @throws StorageException.InvalidArgument bad device, target, type or option; target not a directory
     * @throws StorageException.NotFound        the device or the target does not exist
     */
    public boolean mount(String device, String target, String fsType, List<String> options, boolean readOnly) {
        Path targetPath = TargetPaths.require("target", target);
        requireFsType(fsType);
        List<String> checked = MountOptions.check("options", options);
        for (String option : checked) {
            if (option.equals("ro") || option.equals("rw")) {
                throw new StorageException.InvalidArgument("options: '" + option
                        + "' is set through the read-only flag, not as an option");
            }
        }
        DeviceNode node = DeviceNode.of("device", device, sysfsRoot);
        requireDirectory("target", targetPath);
        targetPath = resolve(targetPath);
        Optional<MountEntry> present = mounts.get().mountAt(targetPath);
        if (present.isPresent()) {
            MountEntry entry = present.get();
            if (entry.device().equals(node.number()) && entry.root().equals("/")) {
                if (entry.readOnly() != readOnly) {
                    throw new StorageException.Busy("target " + targetPath + " already has " + device + " mounted "
                            + (entry.readOnly() ? "read-only" : "read-write") + ", not as asked");
                }
                return false;
            }
            throw new StorageException.Busy("target " + targetPath + " already has " + describe(entry)
                    + " mounted on it");
        }
        List<String> all = new ArrayList<>(checked);
        if (readOnly) {
            all.add("ro");
        }
        List<String> argv = new ArrayList<>(List.of("mount", "-t", fsType));
        if (!all.isEmpty()) {
            argv.addAll(List.of("-o", String.join(",", all)));
        }
        argv.addAll(List.of("--", node.path(), targetPath.toString()));
        run(argv, "mounting " + device + " at " + targetPath);
        return true;
    }

    /**
     * Bind-mounts a directory onto a directory, or a file (a block device node for raw block volumes) onto a
     * file. The target is created (an empty directory or file) when missing; its parent must exist.
     *
     * @return true if it mounted now, false if the same source was already bound there the same way
     * @throws StorageException.Busy     something else is mounted at the target
     * @throws StorageException.NotFound the source or the target's parent does not exist
     */
    public boolean bindMount(String source, String target, boolean readOnly) {
        Path sourcePath = TargetPaths.require("source", source);
        Path targetPath = TargetPaths.require("target", target);
        Path realSource;
        try {
            realSource = sourcePath.toRealPath();
        } catch (NoSuchFileException e) {
            throw new StorageException.NotFound("source: '" + source + "' does not exist");
        } catch (IOException e) {
            throw new StorageException.Unavailable("source: cannot resolve '" + source + "': " + e.getMessage(), e);
        }
        boolean directory = Files.isDirectory(realSource);
        createTarget(targetPath, directory);
        targetPath = resolve(targetPath);
        MountTable table = mounts.get();
        Optional<MountEntry> present = table.mountAt(targetPath);
        if (present.isPresent()) {
            MountEntry entry = present.get();
            if (isBindOf(table, entry, realSource)) {
                if (entry.readOnly() != readOnly) {
                    throw new StorageException.Busy("target " + targetPath + " already has " + source
                            + " bound " + (entry.readOnly() ? "read-only" : "read-write") + ", not as asked");
                }
                return false;
            }
            throw new StorageException.Busy("target " + targetPath + " already has " + describe(entry)
                    + " mounted on it");
        }
        List<String> argv = new ArrayList<>(List.of("mount", "--bind"));
        if (readOnly) {
            // util-linux applies "ro" to a bind mount with a remount of its own (mount(8), since 2.27).
            argv.addAll(List.of("-o", "ro"));
        }
        argv.addAll(List.of("--", realSource.toString(), targetPath.toString()));
        run(argv, "bind-mounting " + source + " at " + targetPath);
        Optional<MountEntry> made = mounts.get().mountAt(targetPath);
        if (made.isEmpty() || made.get().readOnly() != readOnly) {
            throw new StorageException.Internal("after bind-mounting " + source + " at " + targetPath
                    + " mountinfo shows " + made.map(Mounter::describe).orElse("nothing") + " there");
        }
        return true;
    }

    /** A bind's entry shows the source's filesystem and its path inside that filesystem. */
    private static boolean isBindOf(MountTable table, MountEntry entry, Path realSource) {
        Optional<MountEntry> home = table.containing(realSource);
        if (home.isEmpty()) {
            return false;
        }
        String expectedRoot = MountTable.joinRoot(home.get().root(), home.get().target().relativize(realSource));
        return entry.device().equals(home.get().device()) && entry.root().equals(expectedRoot);
    }

    /**
     * Unmounts everything mounted at the target (stacked mounts too). A target that does not exist or is not a
     * mount point is success.
     *
     * @return true if something was unmounted
     * @throws StorageException.Busy the filesystem is in use (open files, a process's working directory)
     */
    public boolean unmount(String target) {
        Path given = TargetPaths.require("target", target);
        if (!Files.exists(given, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path targetPath = resolve(given);
        boolean unmounted = false;
        for (int i = 0; i < MAX_STACKED; i++) {
            if (mounts.get().mountAt(targetPath).isEmpty()) {
                return unmounted;
            }
            CommandResult result = runner.run(new Command(List.of("umount", "--", targetPath.toString()), timeout,
                    Map.of()));
            if (!result.succeeded()) {
                String err = result.stderr();
                if (err.contains("not mounted") || err.contains("no mount point specified")) {
                    continue;
                }
                if (err.contains("target is busy") || err.contains("device is busy")) {
                    throw new StorageException.Busy("cannot unmount " + targetPath + ": " + result.describe());
                }
                throw new StorageException.Unavailable("unmounting " + targetPath + " failed: " + result.describe());
            }
            unmounted = true;
        }
        throw new StorageException.Busy("more than " + MAX_STACKED + " mounts are stacked at " + targetPath);
    }

    /** The mount visible at exactly this path, if any (the top one when mounts are stacked). */
    public Optional<MountEntry> mountOf(String target) {
        Path targetPath = TargetPaths.require("target", target);
        Path resolved = targetPath;
        try {
            resolved = targetPath.toRealPath();
        } catch (IOException e) {
            // A missing path has no mount; compare the path as given.
        }
        return mounts.get().mountAt(resolved);
    }

    /** mountinfo shows paths with symlinks resolved; so must the paths compared with it. */
    private static Path resolve(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }

    private static void requireFsType(String fsType) {
        if (fsType == null || !FS_TYPE.matcher(fsType).matches()) {
            throw new StorageException.InvalidArgument("fsType: '" + fsType + "' is not a filesystem type name");
        }
    }

    private static void requireDirectory(String field, Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException.NotFound(field + ": directory " + path + " does not exist");
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException.InvalidArgument(field + ": " + path + " is not a directory");
        }
    }

    private static void createTarget(Path target, boolean directory) {
        if (!Files.isDirectory(target.getParent())) {
            throw new StorageException.NotFound("target: parent directory " + target.getParent() + " does not exist");
        }
        try {
            if (directory) {
                Files.createDirectory(target);
            } else {
                Files.createFile(target);
            }
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) != directory
                    || Files.isSymbolicLink(target)) {
                throw new StorageException.InvalidArgument("target: " + target + " exists and is not a "
                        + (directory ? "directory" : "regular file") + " as the source needs");
            }
        } catch (IOException e) {
            throw new StorageException.Unavailable("target: cannot create " + target + ": " + e.getMessage(), e);
        }
    }

    private void run(List<String> argv, String what) {
        CommandResult result = runner.run(new Command(argv, timeout, Map.of()));
        if (!result.succeeded()) {
            String err = result.stderr();
            if (err.contains("wrong fs type") || err.contains("bad option") || err.contains("bad superblock")) {
                throw new StorageException.InvalidArgument(what + " failed: " + result.describe());
            }
            throw new StorageException.Unavailable(what + " failed: " + result.describe());
        }
    }

    private static String describe(MountEntry entry) {
        return entry.source() + " (" + entry.fsType() + ", device " + entry.device()
                + (entry.root().equals("/") ? "" : ", root " + entry.root()) + ")";
    }
}

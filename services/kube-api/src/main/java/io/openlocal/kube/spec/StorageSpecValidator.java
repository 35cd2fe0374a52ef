package io.openlocal.kube.spec;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import io.openlocal.backend.naming.Quantities;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.crd.SpdkConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks the storage part of NLS and NLSC specs before anything acts on them: regular expressions compile,
 * names and device paths are ones the backends accept, sizes are positive, nothing is listed twice, label
 * selectors are well formed. Every problem is reported (not only the first), each naming its field.
 *
 * <p>The controller runs it on the NLSC (an invalid NLSC changes no NLS); the agent runs it on its NLS (which
 * a user may edit directly when spec updates are off) and acts only on the parts that pass.
 */
public final class StorageSpecValidator {

    /** lvm2's limit for VG names; SPDK lvstore names are limited the same way here. */
    public static final int MAX_POOL_NAME = 127;
    public static final int MAX_LIST_ENTRIES = 50;
    public static final Set<String> FS_TYPES = Set.of("ext2", "ext3", "ext4", "xfs");
    public static final Set<String> SELECTOR_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
    // Kubernetes label rules (apimachinery validation.IsQualifiedName / IsValidLabelValue).
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private StorageSpecValidator() {
    }

    /** Problems in an NLS spec (fields under {@code spec.}). */
    public static List<SpecProblem> validate(NodeLocalStorageSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        if (spec == null) {
            return problems;
        }
        check(problems, "spec", spec.listConfig(), spec.resourceToBeInited(), spec.spdkConfig());
        return List.copyOf(problems);
    }

    /** Problems in an NLSC spec: the global defaults and every node entry, with its selector. */
    public static List<SpecProblem> validate(NodeLocalStorageInitConfigSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        if (spec == null) {
            return problems;
        }
        if (spec.globalConfig() != null) {
            var g = spec.globalConfig();
            check(problems, "spec.globalConfig", g.listConfig(), g.resourceToBeInited(), g.spdkConfig());
        }
        for (int i = 0; i < spec.nodesConfig().size(); i++) {
            var n = spec.nodesConfig().get(i);
            String at = "spec.nodesConfig[" + i + "]";
            if (n == null) {
                problems.add(new SpecProblem(at, "must not be null"));
                continue;
            }
            checkSelector(problems, at + ".selector", n.selector());
            check(problems, at, n.listConfig(), n.resourceToBeInited(), n.spdkConfig());
        }
        return List.copyOf(problems);
    }

    /** Problems in one listConfig, resourceToBeInited and spdkConfig found under {@code at}. */
    public static void check(List<SpecProblem> problems, String at, ListConfig list, ResourceToBeInited init,
                             SpdkConfig spdk) {
        if (list != null) {
            checkPatterns(problems, at + ".listConfig.devices", list.devices());
            checkPatterns(problems, at + ".listConfig.mountPoints", list.mountPoints());
            checkPatterns(problems, at + ".listConfig.vgs", list.vgs());
        }
        if (init != null) {
            checkInit(problems, at + ".resourceToBeInited", init);
        }
        if (spdk != null) {
            checkSpdk(problems, at + ".spdkConfig", spdk);
        }
    }

    /** The first problem compiling one pattern, or null when it compiles. */
    public static String patternProblem(String regex) {
        if (regex == null) {
            return "must not be null";
        }
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            // The JDK's message spans lines with a caret; one line is enough for a condition.
            return "'" + regex + "' is not a valid regular expression: " + e.getDescription() + " near index "
                    + e.getIndex();
        }
    }

    private static void checkPatterns(List<SpecProblem> problems, String at, IncludeExclude patterns) {
        if (patterns == null) {
            return;
        }
        checkPatternList(problems, at + ".include", patterns.include());
        checkPatternList(problems, at + ".exclude", patterns.exclude());
    }

    private static void checkPatternList(List<SpecProblem> problems, String at, List<String> regexes) {
        if (regexes.size() > MAX_LIST_ENTRIES) {
            problems.add(new SpecProblem(at, "has " + regexes.size() + " entries; at most " + MAX_LIST_ENTRIES));
        }
        for (int i = 0; i < regexes.size(); i++) {
            String problem = patternProblem(regexes.get(i));
            if (problem != null) {
                problems.add(new SpecProblem(at + "[" + i + "]", problem));
            }
        }
    }

    private static void checkInit(List<SpecProblem> problems, String at, ResourceToBeInited init) {
        Map<String, String> deviceUsers = new HashMap<>();
        Map<String, String> vgNames = new HashMap<>();
        for (int i = 0; i < init.vgs().size(); i++) {
            var vg = init.vgs().get(i);
            String f = at + ".vgs[" + i + "]";
            if (vg == null) {
                problems.add(new SpecProblem(f, "must not be null"));
                continue;
            }
            if (objectName(problems, f + ".name", vg.name())) {
                String first = vgNames.putIfAbsent(vg.name(), f);
                if (first != null) {
                    problems.add(new SpecProblem(f + ".name", "duplicate VG name '" + vg.name() + "' (also "
                            + first + ")"));
                }
            }
            if (vg.devices().isEmpty()) {
                problems.add(new SpecProblem(f + ".devices", "must list at least one device"));
            }
            for (int d = 0; d < vg.devices().size(); d++) {
                device(problems, f + ".devices[" + d + "]", vg.devices().get(d), deviceUsers);
            }
        }
        Map<String, String> paths = new HashMap<>();
        for (int i = 0; i < init.mountpoints().size(); i++) {
            var mp = init.mountpoints().get(i);
            String f = at + ".mountpoints[" + i + "]";
            if (mp == null) {
                problems.add(new SpecProblem(f, "must not be null"));
                continue;
            }
            if (absolutePath(problems, f + ".path", mp.path())) {
                String first = paths.putIfAbsent(mp.path(), f);
                if (first != null) {
                    problems.add(new SpecProblem(f + ".path", "duplicate mount path '" + mp.path() + "' (also "
                            + first + ")"));
                }
            }
            device(problems, f + ".device", mp.device(), deviceUsers);
            if (mp.fsType() != null && !mp.fsType().isEmpty() && !FS_TYPES.contains(mp.fsType())) {
                problems.add(new SpecProblem(f + ".fsType", "'" + mp.fsType() + "' is not one of "
                        + FS_TYPES.stream().sorted().toList()));
            }
            for (int o = 0; o < mp.options().size(); o++) {
                String option = mp.options().get(o);
                if (option == null || option.isBlank() || option.contains(",") || !option.strip().equals(option)) {
                    problems.add(new SpecProblem(f + ".options[" + o + "]", "'" + option
                            + "' is not a single mount option (no commas, no blanks)"));
                }
            }
        }
        Map<String, String> stores = new HashMap<>();
        for (int i = 0; i < init.lvstores().size(); i++) {
            var lvs = init.lvstores().get(i);
            String f = at + ".lvstores[" + i + "]";
            if (lvs == null) {
                problems.add(new SpecProblem(f, "must not be null"));
                continue;
            }
            if (objectName(problems, f + ".name", lvs.name())) {
                String first = stores.putIfAbsent(lvs.name(), f);
                if (first != null) {
                    problems.add(new SpecProblem(f + ".name", "duplicate lvstore name '" + lvs.name() + "' (also "
                            + first + ")"));
                }
            }
            baseDevice(problems, f + ".device", lvs.device(), deviceUsers);
            if (lvs.clusterSize() != null) {
                positiveQuantity(problems, f + ".clusterSize", lvs.clusterSize());
            }
        }
    }

    private static void checkSpdk(List<SpecProblem> problems, String at, SpdkConfig spdk) {
        if (spdk.deviceType() != null && spdk.deviceType().length() > 8) {
            problems.add(new SpecProblem(at + ".deviceType", "'" + spdk.deviceType()
                    + "' is longer than 8 characters"));
        }
        if (spdk.rpcSocket() != null && !spdk.rpcSocket().isEmpty()) {
            absolutePath(problems, at + ".rpcSocket", spdk.rpcSocket());
        }
    }

    private static void checkSelector(List<SpecProblem> problems, String at, V1LabelSelector selector) {
        if (selector == null) {
            return; // as in Kubernetes, a missing selector matches no node: not an error
        }
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> {
                labelKey(problems, at + ".matchLabels", key);
                labelValue(problems, at + ".matchLabels[" + key + "]", value);
            });
        }
        List<V1LabelSelectorRequirement> expressions =
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            var e = expressions.get(i);
            String f = at + ".matchExpressions[" + i + "]";
            labelKey(problems, f + ".key", e.getKey());
            String op = e.getOperator();
            List<String> values = e.getValues() == null ? List.of() : e.getValues();
            if (op == null || !SELECTOR_OPERATORS.contains(op)) {
                problems.add(new SpecProblem(f + ".operator", "'" + op + "' is not one of In, NotIn, Exists, "
                        + "DoesNotExist"));
            } else if ((op.equals("In") || op.equals("NotIn")) && values.isEmpty()) {
                problems.add(new SpecProblem(f + ".values", "must not be empty for operator " + op));
            } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && !values.isEmpty()) {
                problems.add(new SpecProblem(f + ".values", "must be empty for operator " + op));
            }
            for (int v = 0; v < values.size(); v++) {
                labelValue(problems, f + ".values[" + v + "]", values.get(v));
            }
        }
    }

    // ---- single values ----------------------------------------------------------------------------------------

    private static boolean objectName(List<SpecProblem> problems, String field, String value) {
        try {
            Names.requireObjectName(field, value, MAX_POOL_NAME);
            return true;
        } catch (StorageException e) {
            problems.add(fromNames(field, e));
            return false;
        }
    }

    private static void device(List<SpecProblem> problems, String field, String value, Map<String, String> users) {
        try {
            Names.requireDevicePath(field, value);
        } catch (StorageException e) {
            problems.add(fromNames(field, e));
            return;
        }
        String first = users.putIfAbsent(value, field);
        if (first != null) {
            problems.add(new SpecProblem(field, "device '" + value + "' is also listed at " + first));
        }
    }

    /** An lvstore's base: a block device path, {@code aio:<absolute path>} (device or file) or {@code nvme:<PCI>}. */
    private static void baseDevice(List<SpecProblem> problems, String field, String value, Map<String, String> users) {
        if (value != null && value.startsWith("aio:")) {
            String path = value.substring(4);
            if (path.startsWith("/dev/")) {
                device(problems, field, path, users);
            } else if (absolutePath(problems, field, path)) {
                String first = users.putIfAbsent(path, field);
                if (first != null) {
                    problems.add(new SpecProblem(field, "device '" + path + "' is also listed at " + first));
                }
            }
            return;
        }
        if (value != null && value.startsWith("nvme:")) {
            if (!PCI_ADDRESS.matcher(value.substring(5)).matches()) {
                problems.add(new SpecProblem(field, "'" + value
                        + "' is not nvme:<PCI address> (for example nvme:0000:00:04.0)"));
            } else {
                String first = users.putIfAbsent(value, field);
                if (first != null) {
                    problems.add(new SpecProblem(field, "device '" + value + "' is also listed at " + first));
                }
            }
            return;
        }
        device(problems, field, value, users);
    }

    private static boolean absolutePath(List<SpecProblem> problems, String field, String value) {
        try {
            Names.requirePathUnder(field, value, Path.of("/"), false);
            return true;
        } catch (StorageException e) {
            problems.add(fromNames(field, e));
            return false;
        }
    }

    private static void positiveQuantity(List<SpecProblem> problems, String field, String value) {
        try {
            if (Quantities.parseBytes(value) <= 0) {
                problems.add(new SpecProblem(field, "must be greater than 0, got '" + value + "'"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem(field, value.strip().startsWith("-")
                    ? "must be a positive quantity such as 4Mi, got '" + value + "'" : e.getMessage()));
        }
    }

    private static void labelKey(List<SpecProblem> problems, String field, String key) {
        if (key == null || key.isEmpty()) {
            problems.add(new SpecProblem(field, "label key must not be empty"));
            return;
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                problems.add(new SpecProblem(field, "label key '" + key + "' has an invalid prefix"));
                return;
            }
        }
        if (name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            problems.add(new SpecProblem(field, "'" + key + "' is not a valid label key"));
        }
    }

    private static void labelValue(List<SpecProblem> problems, String field, String value) {
        if (value == null || value.isEmpty()) {
            return; // an empty label value is valid
        }
        if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
            problems.add(new SpecProblem(field, "'" + value + "' is not a valid label value"));
        }
    }

    private static SpecProblem fromNames(String field, StorageException e) {
        String message = e.getMessage();
        String prefix = field + ": ";
        return new SpecProblem(field, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }
}

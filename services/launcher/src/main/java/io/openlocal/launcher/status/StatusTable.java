package io.openlocal.launcher.status;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The table {@code open-local status} prints: one row per node and pool, sizes in binary units. */
public final class StatusTable {

    static final List<String> HEADER = List.of("NODE", "KIND", "NAME", "TOTAL", "AVAILABLE", "ALLOCATABLE", "USE",
            "DETAIL", "ALLOWED", "CONDITION");

    private StatusTable() {
    }

    public static void print(List<NodeReport> reports, PrintWriter out) {
        if (reports.isEmpty()) {
            out.println("no NodeLocalStorage in the cluster (is the open-local controller running and a "
                    + "NodeLocalStorageInitConfig defined?)");
            out.flush();
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        List<String> unreported = new ArrayList<>();
        for (NodeReport report : reports) {
            if (!report.reported()) {
                unreported.add(report.node());
                continue;
            }
            if (report.pools().isEmpty()) {
                rows.add(List.of(report.node(), "-", "(no storage discovered)", "-", "-", "-", "-", "-", "-", "-"));
            }
            for (PoolRow pool : report.pools()) {
                rows.add(List.of(report.node(), pool.kind(), pool.name(), BinarySize.format(pool.total()),
                        BinarySize.format(pool.available()), BinarySize.format(pool.allocatable()),
                        dash(pool.use()), dash(pool.detail()), pool.allowed() ? "yes" : "no", dash(pool.condition())));
            }
        }
        if (rows.size() > 1) {
            printAligned(rows, out);
        }
        for (NodeReport report : reports) {
            if (report.initializing() != null) {
                out.println("node " + report.node() + ": in progress: " + report.initializing());
            }
        }
        for (String node : unreported) {
            out.println("node " + node + ": NodeLocalStorage has no status yet (agent not running there, or not "
                    + "reported yet)");
        }
        out.flush();
    }

    private static String dash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    private static void printAligned(List<List<String>> rows, PrintWriter out) {
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.println(line);
        }
    }
}

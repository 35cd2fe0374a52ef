package io.openlocal.scheduling.selection;

import java.util.List;
import java.util.Map;

/**
 * The filter's answer for one pod over the nodes asked about.
 *
 * @param passed       nodes the pod's claims fit on, in the order asked
 * @param failed       node → reason, where room could appear (other pods' promises lapse or are released)
 * @param unresolvable node → reason, where nothing but a change of the node itself can help
 */
public record FilterOutcome(List<String> passed, Map<String, String> failed, Map<String, String> unresolvable) {

    public FilterOutcome {
        passed = List.copyOf(passed);
        failed = Map.copyOf(failed);
        unresolvable = Map.copyOf(unresolvable);
    }

    public int failedCount() {
        return failed.size() + unresolvable.size();
    }

    /** One failure reason (for the single log line of a request), or "". */
    public String sampleReason() {
        if (!unresolvable.isEmpty()) {
            Map.Entry<String, String> e = unresolvable.entrySet().iterator().next();
            return e.getKey() + ": " + e.getValue();
        }
        if (!failed.isEmpty()) {
            Map.Entry<String, String> e = failed.entrySet().iterator().next();
            return e.getKey() + ": " + e.getValue();
        }
        return "";
    }
}

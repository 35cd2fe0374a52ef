package io.openlocal.lvm.volume;

import io.openlocal.backend.error.StorageException;
import io.openlocal.lvm.report.LvReport;

/**
 * Which LVs are this system's to change.
 *
 * <ul>
 *   <li>The LV name is the volume name and starts with the configured prefix (default {@code local}, as
 *       Alibaba Open-Local's agent flag {@code --lvname}). An LV without the prefix is someone else's: it is
 *       reported with {@code owned=false}, its extents count against {@code allocatable}, and any request to
 *       change or remove it is refused with InvalidArgument. Requests for names without the prefix are refused
 *       before anything runs.</li>
 *   <li>Every LV this backend creates also carries the LV tag {@value #TAG}. The tag means "created by Open-Local
 *       for Java on this node": it lets operators select our LVs ({@code lvs @open-local}) and tells them apart
 *       from LVs that only happen to match the prefix.</li>
 *   <li>Prefixed LVs without the tag are what Alibaba Open-Local made (it never tagged). With
 *       {@code adoptUntaggedLvs=true} (the default) they are adopted: owned, so a drop-in upgrade keeps
 *       managing existing volumes. With {@code false} they are treated as foreign. Adoption does not rewrite
 *       them; the tag is only ever added at creation.</li>
 * </ul>
 */
public final class Ownership {

    /** The LV tag that marks LVs this system created. */
    public static final String TAG = "open-local";

    private final String prefix;
    private final boolean adoptUntagged;

    public Ownership(String prefix, boolean adoptUntagged) {
        this.prefix = prefix;
        this.adoptUntagged = adoptUntagged;
    }

    public String prefix() {
        return prefix;
    }

    public boolean adoptUntagged() {
        return adoptUntagged;
    }

    /** Validates a name this system may create or change: lvm2's rules, then the ownership prefix. */
    public String requireOwnableName(String field, String name) {
        LvNames.requireLvName(field, name);
        if (!name.startsWith(prefix)) {
            throw new StorageException.InvalidArgument(field + ": '" + name + "' does not start with '" + prefix
                    + "', the prefix of LVs this system owns; LVs without it are never created, changed or removed");
        }
        return name;
    }

    public boolean owns(LvReport lv) {
        return lv.name().startsWith(prefix) && (lv.hasTag(TAG) || adoptUntagged);
    }

    /** Refuses to touch an LV this system does not own. */
    public void requireOwned(LvReport lv, String vg, String action) {
        if (!owns(lv)) {
            String why = lv.name().startsWith(prefix)
                    ? "it has the prefix but not the tag '" + TAG + "' and adoptUntaggedLvs is false"
                    : "it does not start with '" + prefix + "'";
            throw new StorageException.InvalidArgument("LV " + vg + "/" + lv.name() + " is not owned by this system ("
                    + why + "); refusing to " + action + " it");
        }
    }
}

package io.openlocal.backend.progress;

import java.util.Locale;
import java.util.Objects;

/**
 * Where one operation is.
 *
 * @param operation what is being done, the same for all its reports: {@code initialising VG pool0},
 *                  {@code releasing Device volume pvc-1 on /dev/sdb}
 * @param step      the current step: {@code pvcreate /dev/loop3}, {@code wiping /dev/loop3: signatures}
 * @param index     1-based number of the step among {@code count}; 0 for a step outside the numbered ones (the
 *                  checks before any change)
 * @param count     numbered steps known so far (it may grow once checks show what is needed); 0 when none yet
 * @param fraction  how much of a byte-level step is done, 0..1, or NaN when the step is not measured
 * @param finished  the operation has ended (successfully or not); no further reports follow
 */
public record ProgressReport(String operation, String step, int index, int count, double fraction,
                             boolean finished) {

    public ProgressReport {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(step, "step");
        if (index < 0 || count < 0 || index > count) {
            throw new IllegalArgumentException("step " + index + " of " + count);
        }
        if (!Double.isNaN(fraction) && (fraction < 0 || fraction > 1)) {
            throw new IllegalArgumentException("fraction " + fraction + " is outside 0..1");
        }
    }

    /** The step as a person reads it: {@code pvcreate /dev/loop3 (2/4)}, {@code zeroing /dev/sdb (1/1) 42%}. */
    public String describe() {
        StringBuilder text = new StringBuilder(step);
        if (index > 0) {
            text.append(" (").append(index).append('/').append(count).append(')');
        }
        if (!Double.isNaN(fraction)) {
            text.append(' ').append(String.format(Locale.ROOT, "%.0f%%", fraction * 100));
        }
        return text.toString();
    }

    /** {@code operation: step}, one line for a log. */
    public String line() {
        return operation + ": " + describe();
    }
}

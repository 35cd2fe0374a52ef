package io.openlocal.extender.wire;

/**
 * Kubernetes object name rules, checked by hand rather than by regex because a request names up to thousands of
 * nodes and this runs for each.
 */
public final class KubeNames {

    private KubeNames() {
    }

    /** A DNS-1123 subdomain: node, PVC and pod names (lowercase letters, digits, '-', '.', at most 253). */
    public static boolean isSubdomain(String s) {
        int n = s.length();
        if (n == 0 || n > 253) {
            return false;
        }
        char prev = '.';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (c == '.') {
                if (prev == '.' || prev == '-') {
                    return false;
                }
            } else if (c == '-') {
                if (prev == '.') {
                    return false;
                }
            } else if (!alnum) {
                return false;
            }
            prev = c;
        }
        return prev != '.' && prev != '-';
    }

    /** A DNS-1123 label: namespaces (lowercase letters, digits, '-', at most 63). */
    public static boolean isLabel(String s) {
        return s.length() <= 63 && s.indexOf('.') < 0 && isSubdomain(s);
    }

    /** The value quoted for a message, cut short and with control characters replaced. */
    public static String quote(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return "'" + (clean.length() > 80 ? clean.substring(0, 80) + "..." : clean) + "'";
    }
}

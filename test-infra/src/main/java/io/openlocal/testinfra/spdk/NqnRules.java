package io.openlocal.testinfra.spdk;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The target's NQN check (nvmf_nqn_is_valid): 11 to 223 bytes; the discovery NQN; the
 * {@code nqn.2014-08.org.nvmexpress:uuid:<uuid>} form; or {@code nqn.yyyy-mm.<reverse domain>:<anything>}
 * where domain labels start with a letter, hold letters, digits and '-', end with a letter or digit, and
 * are at most 63 characters.
 */
final class NqnRules {

    private static final String UUID_PREFIX = "nqn.2014-08.org.nvmexpress:uuid:";

    private NqnRules() {
    }

    static boolean valid(String nqn) {
        int len = nqn.getBytes(StandardCharsets.UTF_8).length;
        if (len > 223 || len < 11) {
            return false;
        }
        if (nqn.equals(NvmfSubsystem.DISCOVERY_NQN)) {
            return true;
        }
        if (nqn.startsWith(UUID_PREFIX)) {
            String rest = nqn.substring(UUID_PREFIX.length());
            if (rest.length() != 36) {
                return false;
            }
            try {
                UUID.fromString(rest);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (!nqn.startsWith("nqn.") || nqn.length() < 12) {
            return false;
        }
        for (int i : new int[] {4, 5, 6, 7, 9, 10}) {
            if (!Character.isDigit(nqn.charAt(i))) {
                return false;
            }
        }
        if (nqn.charAt(8) != '-' || nqn.charAt(11) != '.') {
            return false;
        }
        int colon = nqn.indexOf(':');
        if (colon < 0 || colon >= nqn.length() - 1) {
            return false;
        }
        String domain = nqn.substring(12, colon);
        if (domain.isEmpty()) {
            return true;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !Character.isLetter(label.charAt(0))
                    || !Character.isLetterOrDigit(label.charAt(label.length() - 1))) {
                return false;
            }
            for (char c : label.toCharArray()) {
                if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
                    return false;
                }
            }
        }
        return true;
    }
}

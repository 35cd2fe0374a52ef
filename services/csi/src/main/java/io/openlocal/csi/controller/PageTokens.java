package io.openlocal.csi.controller;

import io.openlocal.csi.grpc.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Pagination for ListVolumes and ListSnapshots. A token is the id of the last entry sent (base64url), so a page
 * boundary survives entries being added or removed between calls; entries are ordered by id.
 */
final class PageTokens {

    private PageTokens() {
    }

    record Page<T>(List<T> entries, String nextToken) {
    }

    static <T> Page<T> page(List<T> sortedById, Function<T, String> id, int maxEntries, String startingToken) {
        if (maxEntries < 0) {
            throw Errors.invalid("max_entries: must not be negative, got " + maxEntries);
        }
        int start = 0;
        if (!startingToken.isEmpty()) {
            String after = decode(startingToken);
            while (start < sortedById.size() && id.apply(sortedById.get(start)).compareTo(after) <= 0) {
                start++;
            }
        }
        int end = maxEntries == 0 ? sortedById.size() : (int) Math.min(sortedById.size(), (long) start + maxEntries);
        List<T> entries = sortedById.subList(start, end);
        String next = end < sortedById.size() && !entries.isEmpty() ? encode(id.apply(entries.getLast())) : "";
        return new Page<>(List.copyOf(entries), next);
    }

    static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    /** The id inside a token; ABORTED for a token this plugin did not make, as the specification says. */
    static String decode(String token) {
        try {
            String id = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (io.openlocal.csi.volume.VolumeId.parse(id).isEmpty()) {
                throw new IllegalArgumentException("not an id");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw Errors.aborted("starting_token: '" + token + "' is not a token this plugin issued");
        }
    }
}

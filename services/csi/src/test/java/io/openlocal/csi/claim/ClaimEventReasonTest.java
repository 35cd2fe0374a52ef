package io.openlocal.csi.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The reasons are an interface (alerts match on them): the operations guide lists exactly these. */
class ClaimEventReasonTest {

    @Test
    void theOperationsGuideListsEveryReasonAndNoOther() throws Exception {
        Path guide = Path.of("../../docs/operations.md");
        String text = Files.readString(guide);
        int start = text.indexOf("## Events on claims");
        assertThat(start).as("section in %s", guide).isNotNegative();
        String section = text.substring(start, text.indexOf("\n## ", start + 1));
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\|").matcher(section);
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ClaimEventReason.values()).map(ClaimEventReason::wireName).toList());
        assertThat(documented).allMatch(r -> r.matches("[A-Z][A-Za-z]+"), "CamelCase");
    }
}

package io.openlocal.testinfra.spdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestStreamTest {

    private final RequestStream stream = new RequestStream(new ObjectMapper());

    private RequestStream.Feed feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return stream.feed(bytes, bytes.length);
    }

    @Test
    void adjacentObjectsAreSeparateRequests() {
        RequestStream.Feed f = feed("{\"id\":1}{\"id\":2}\n  [{\"id\":3}]");
        assertThat(f.malformed()).isFalse();
        assertThat(f.values()).extracting(JsonNode::toString).containsExactly("{\"id\":1}", "{\"id\":2}", "[{\"id\":3}]");
    }

    @Test
    void aRequestSplitAcrossReadsIsPutBackTogether() {
        assertThat(feed("{\"method\":\"spdk_get").values()).isEmpty();
        assertThat(feed("_version\",\"id\"").values()).isEmpty();
        RequestStream.Feed f = feed(":7}");
        assertThat(f.values()).singleElement().satisfies(v -> assertThat(v.get("id").asInt()).isEqualTo(7));
    }

    @Test
    void aBareWordIsMalformedAndValuesBeforeItAreStillReported() {
        RequestStream.Feed f = feed("{\"id\":1}{\"method\":spdk_get_version}");
        assertThat(f.values()).hasSize(1);
        assertThat(f.malformed()).isTrue();
    }

    @Test
    void aTopLevelScalarIsAValueNotAParseError() {
        RequestStream.Feed f = feed("\"text\" ");
        assertThat(f.malformed()).isFalse();
        assertThat(f.values()).singleElement().satisfies(v -> assertThat(v.isTextual()).isTrue());
    }
}

package io.openlocal.kube.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.ClientBuilder;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Events through the real client-java against the API-server emulator. Emulator gap: it ignores the
 * {@code involvedObject.name} field selector (returns nothing), so the test lists all events and filters here.
 */
class EventRecorderTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    /** A clock the test moves. */
    private static final class StepClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public ZoneOffset getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now.get(); }

        void advance(Duration d) { now.updateAndGet(i -> i.plus(d)); }
    }

    private static List<JsonObject> eventsAbout(String name) {
        String body = api.request("GET", "/api/v1/namespaces/default/events", null).body();
        var items = JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("items");
        return StreamSupport.stream(items.spliterator(), false).map(e -> e.getAsJsonObject())
                .filter(e -> e.getAsJsonObject("involvedObject").get("name").getAsString().equals(name)).toList();
    }

    @Test
    void warningOnClusterScopedObjectIsWrittenToDefaultNamespaceWithItsReference() throws Exception {
        ApiClient client = ClientBuilder.standard().setBasePath(api.url()).build();
        var recorder = new EventRecorder(client, "open-local-agent", "node-e1");
        var nls = new NodeLocalStorage(new V1ObjectMeta().name("node-e1").uid("u-1").resourceVersion("7"), null, null);

        recorder.warning(nls, "InitRefused", "vgs[0]: /dev/loop9 holds an ext4 filesystem");

        List<JsonObject> events = eventsAbout("node-e1");
        assertThat(events).hasSize(1);
        JsonObject e = events.getFirst();
        assertThat(e.get("type").getAsString()).isEqualTo("Warning");
        assertThat(e.get("reason").getAsString()).isEqualTo("InitRefused");
        assertThat(e.get("message").getAsString()).contains("/dev/loop9");
        assertThat(e.get("count").getAsInt()).isEqualTo(1);
        assertThat(e.getAsJsonObject("involvedObject").get("kind").getAsString()).isEqualTo("NodeLocalStorage");
        assertThat(e.getAsJsonObject("involvedObject").get("uid").getAsString()).isEqualTo("u-1");
        assertThat(e.getAsJsonObject("source").get("component").getAsString()).isEqualTo("open-local-agent");
        assertThat(recorder.failures()).isZero();
    }

    @Test
    void repeatsAreFoldedIntoOneEventWithACount() throws Exception {
        ApiClient client = ClientBuilder.standard().setBasePath(api.url()).build();
        var clock = new StepClock();
        var recorder = new EventRecorder(client, "open-local-agent", "node-e2", clock, Duration.ofMinutes(10),
                Duration.ofMinutes(1));
        var nls = new NodeLocalStorage(new V1ObjectMeta().name("node-e2").uid("u-2"), null, null);

        recorder.warning(nls, "InvalidSpec", "bad regex");
        clock.advance(Duration.ofSeconds(30));
        recorder.warning(nls, "InvalidSpec", "bad regex"); // folded, not yet patched
        clock.advance(Duration.ofSeconds(60));
        recorder.warning(nls, "InvalidSpec", "bad regex"); // folded and patched: count 3
        recorder.warning(nls, "InvalidSpec", "another problem");

        List<JsonObject> events = eventsAbout("node-e2");
        assertThat(events).hasSize(2);
        JsonObject folded = events.stream().filter(e -> e.get("message").getAsString().equals("bad regex"))
                .findFirst().orElseThrow();
        assertThat(folded.get("count").getAsInt()).isEqualTo(3);
        assertThat(folded.get("lastTimestamp").getAsString()).isEqualTo("2026-01-01T00:01:30Z");

        clock.advance(Duration.ofMinutes(11)); // past the aggregation window: a new event
        recorder.warning(nls, "InvalidSpec", "bad regex");
        assertThat(eventsAbout("node-e2")).hasSize(3);
        assertThat(recorder.failures()).isZero();
    }

    @Test
    void anEventTheApiServerDroppedIsWrittenAgainWithItsCount() throws Exception {
        ApiClient client = ClientBuilder.standard().setBasePath(api.url()).build();
        var clock = new StepClock();
        var recorder = new EventRecorder(client, "open-local-csi-controller", "", clock, Duration.ofMinutes(10),
                Duration.ZERO);
        var nls = new NodeLocalStorage(new V1ObjectMeta().name("node-e3").uid("u-3"), null, null);

        recorder.warning(nls, "NoSpace", "full");
        clock.advance(Duration.ofSeconds(5));
        recorder.warning(nls, "NoSpace", "full"); // patched at once: the interval is zero
        List<JsonObject> first = eventsAbout("node-e3");
        assertThat(first).hasSize(1);
        assertThat(first.getFirst().get("count").getAsInt()).isEqualTo(2);

        // Events expire in the API server (TTL); the problem goes on.
        String name = first.getFirst().getAsJsonObject("metadata").get("name").getAsString();
        assertThat(api.request("DELETE", "/api/v1/namespaces/default/events/" + name, null).statusCode())
                .isEqualTo(200);
        clock.advance(Duration.ofSeconds(5));
        recorder.warning(nls, "NoSpace", "full");
        List<JsonObject> again = eventsAbout("node-e3");
        assertThat(again).hasSize(1);
        assertThat(again.getFirst().get("count").getAsInt()).isEqualTo(3);
        // client-java writes microseconds, the merge patch whole seconds: compare instants.
        assertThat(Instant.parse(again.getFirst().get("firstTimestamp").getAsString()))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Instant.parse(again.getFirst().get("lastTimestamp").getAsString()))
                .isEqualTo(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(again.getFirst().getAsJsonObject("involvedObject").get("uid").getAsString()).isEqualTo("u-3");

        clock.advance(Duration.ofSeconds(5));
        recorder.warning(nls, "NoSpace", "full"); // the new event is the one patched from now on
        assertThat(eventsAbout("node-e3")).singleElement()
                .satisfies(e -> assertThat(e.get("count").getAsInt()).isEqualTo(4));
        assertThat(recorder.failures()).isZero();
    }

    @Test
    void unreachableApiServerIsCountedNotThrown() throws Exception {
        ApiClient client = ClientBuilder.standard().setBasePath("http://127.0.0.1:1").build();
        var recorder = new EventRecorder(client, "c", "h");
        recorder.warning(new NodeLocalStorage(new V1ObjectMeta().name("x"), null, null), "R", "m");
        assertThat(recorder.failures()).isEqualTo(1);
    }
}

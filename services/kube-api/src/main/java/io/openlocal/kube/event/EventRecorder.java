package io.openlocal.kube.event;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records core/v1 Events about objects, as {@code kubectl describe} shows them. Events are best effort: a
 * failure to record one is logged and counted, never thrown, so it cannot stop the work it reports on.
 *
 * <p>The same event (object, type, reason, message) repeated within {@link #aggregationWindow} is folded into
 * the first one: its {@code count} and {@code lastTimestamp} are raised with a JSON merge patch, at most once
 * per {@link #patchInterval}, as client-go's correlator does; so a problem seen on every pass does not flood
 * the API server. An event the API server has dropped meanwhile (events expire) is written again with its count.
 */
public final class EventRecorder {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());
    private static final int MAX_TRACKED = 512;

    private final GenericKubernetesApi<CoreV1Event, CoreV1EventList> events;
    private final String component;
    private final String host;
    private final Clock clock;
    private final Duration aggregationWindow;
    private final Duration patchInterval;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private final Map<Key, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Seen> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    private record Key(String kind, String namespace, String name, String uid, String type, String reason,
                       String message) {
    }

    private static final class Seen {
        final CoreV1Event written;
        String eventName;
        final String namespace;
        final OffsetDateTime first;
        OffsetDateTime last;
        OffsetDateTime lastPatched;
        int count;

        Seen(CoreV1Event written, OffsetDateTime first) {
            this.written = written;
            this.eventName = written.getMetadata().getName();
            this.namespace = written.getMetadata().getNamespace();
            this.first = first;
            this.last = first;
            this.lastPatched = first;
            this.count = 1;
        }
    }

    /**
     * @param component the reporting component, for example {@code open-local-agent}
     * @param host      the node or pod the component runs on (may be empty)
     */
    public EventRecorder(ApiClient client, String component, String host) {
        this(client, component, host, Clock.systemUTC(), Duration.ofMinutes(10), Duration.ofMinutes(1));
    }

    public EventRecorder(ApiClient client, String component, String host, Clock clock, Duration aggregationWindow,
                         Duration patchInterval) {
        this.events = new GenericKubernetesApi<>(CoreV1Event.class, CoreV1EventList.class, "", "v1", "events",
                Objects.requireNonNull(client, "client"));
        this.component = Objects.requireNonNull(component, "component");
        this.host = host == null ? "" : host;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.aggregationWindow = aggregationWindow;
        this.patchInterval = patchInterval;
    }

    public void normal(KubernetesObject about, String reason, String message) {
        record(about, NORMAL, reason, message);
    }

    public void warning(KubernetesObject about, String reason, String message) {
        record(about, WARNING, reason, message);
    }

    /** Events this recorder failed to write (API errors). */
    public long failures() {
        return failures.get();
    }

    /** Events written or folded into an earlier one. */
    public long recorded() {
        return recorded.get();
    }

    /** Records an event about the object; never throws. */
    public void record(KubernetesObject about, String type, String reason, String message) {
        try {
            doRecord(about, type, reason, message);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "cannot record event " + reason + " on " + describe(about) + ": " + e, e);
        }
    }

    private void doRecord(KubernetesObject about, String type, String reason, String message) {
        V1ObjectMeta meta = about.getMetadata();
        // Cluster-scoped objects' events live in "default", as client-go puts them.
        String namespace = meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default"
                : meta.getNamespace();
        String text = message.length() > 1024 ? message.substring(0, 1021) + "..." : message;
        Key key = new Key(about.getKind(), namespace, meta.getName(), meta.getUid(), type, reason, text);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).withNano(0);
        synchronized (seen) {
            Seen earlier = seen.get(key);
            if (earlier != null && Duration.between(earlier.last, now).compareTo(aggregationWindow) < 0) {
                earlier.count++;
                earlier.last = now;
                recorded.incrementAndGet();
                if (Duration.between(earlier.lastPatched, now).compareTo(patchInterval) >= 0) {
                    earlier.lastPatched = now;
                    patchCount(earlier);
                }
                return;
            }
        }
        CoreV1Event event = new CoreV1Event().apiVersion("v1").kind("Event")
                .metadata(new V1ObjectMeta().name(eventName(meta.getName())).namespace(namespace))
                .involvedObject(new V1ObjectReference().apiVersion(about.getApiVersion()).kind(about.getKind())
                        .name(meta.getName()).namespace(meta.getNamespace()).uid(meta.getUid())
                        .resourceVersion(meta.getResourceVersion()))
                .type(type).reason(reason).message(text)
                .source(new V1EventSource().component(component).host(host.isEmpty() ? null : host))
                .reportingComponent(component).reportingInstance(host.isEmpty() ? component : host)
                .firstTimestamp(now).lastTimestamp(now).count(1);
        KubernetesApiResponse<CoreV1Event> response = events.create(event);
        if (!response.isSuccess()) {
            failures.incrementAndGet();
            LOG.warning("cannot record event " + reason + " on " + describe(about) + ": HTTP "
                    + response.getHttpStatusCode() + " " + response.getStatus());
            return;
        }
        recorded.incrementAndGet();
        synchronized (seen) {
            seen.put(key, new Seen(event, now));
        }
    }

    private String eventName(String objectName) {
        return objectName + "." + Long.toHexString(clock.instant().toEpochMilli() * 1_000_000L
                + System.nanoTime() % 1_000_000L);
    }

    /** Called with the lock on {@link #seen} held, so two repeats cannot both re-create a vanished event. */
    private void patchCount(Seen earlier) {
        String patch = "{\"count\":" + earlier.count + ",\"lastTimestamp\":\"" + earlier.last + "\"}";
        KubernetesApiResponse<CoreV1Event> response = events.patch(earlier.namespace, earlier.eventName,
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, new V1Patch(patch));
        if (response.getHttpStatusCode() == 404) {
            // The API server dropped the event (events expire, one hour by default) while the problem goes on:
            // write it again with the count so far, as client-go does, instead of patching nothing from now on.
            recreate(earlier);
        } else if (!response.isSuccess()) {
            failures.incrementAndGet();
            LOG.fine("cannot update count of event " + earlier.eventName + ": HTTP " + response.getHttpStatusCode());
        }
    }

    private void recreate(Seen earlier) {
        String name = eventName(earlier.written.getInvolvedObject().getName());
        CoreV1Event again = new CoreV1Event().apiVersion("v1").kind("Event")
                .metadata(new V1ObjectMeta().name(name).namespace(earlier.namespace))
                .involvedObject(earlier.written.getInvolvedObject())
                .type(earlier.written.getType()).reason(earlier.written.getReason())
                .message(earlier.written.getMessage()).source(earlier.written.getSource())
                .reportingComponent(earlier.written.getReportingComponent())
                .reportingInstance(earlier.written.getReportingInstance())
                .firstTimestamp(earlier.first).lastTimestamp(earlier.last).count(earlier.count);
        KubernetesApiResponse<CoreV1Event> response = events.create(again);
        if (response.isSuccess()) {
            earlier.eventName = name;
        } else {
            failures.incrementAndGet();
            LOG.fine("cannot re-create expired event " + earlier.eventName + ": HTTP " + response.getHttpStatusCode());
        }
    }

    private static String describe(KubernetesObject about) {
        return about.getKind() + " " + (about.getMetadata() == null ? "?" : about.getMetadata().getName());
    }
}

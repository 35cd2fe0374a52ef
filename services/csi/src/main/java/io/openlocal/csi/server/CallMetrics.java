package io.openlocal.csi.server;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts every CSI call by method and status code ({@code openlocal_csi_operations_total}) and times it by method
 * ({@code openlocal_csi_operation_seconds}, a histogram): the names, types and labels the chart's dashboard reads
 * (charts/open-local/README.md, "Metrics"). {@code method} is the bare RPC name ({@code CreateVolume}).
 */
public final class CallMetrics implements ServerInterceptor {

    private final MeterRegistry registry;

    public CallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getBareMethodName();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                Counter.builder("openlocal.csi.operations")
                        .description("CSI calls served, by method and gRPC status code")
                        .tag("method", method)
                        .tag("code", status.getCode().name())
                        .register(registry)
                        .increment();
                Timer.builder("openlocal.csi.operation")
                        .description("CSI call latency, by method")
                        .tag("method", method)
                        .publishPercentileHistogram()
                        .register(registry)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        }, headers);
    }
}

package io.openlocal.csi.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.openlocal.csi.v1.ControllerGrpc;
import io.openlocal.csi.v1.IdentityGrpc;
import io.openlocal.csi.v1.NodeGrpc;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A CSI client over a unix socket (grpc-java's Netty transport on epoll), as the demo and tools use it. Blocking
 * stubs with a per-call deadline.
 */
public final class CsiClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final ManagedChannel channel;
    private final long deadlineSeconds;

    private CsiClient(EventLoopGroup group, ManagedChannel channel, long deadlineSeconds) {
        this.group = group;
        this.channel = channel;
        this.deadlineSeconds = deadlineSeconds;
    }

    public static CsiClient connect(Path socket, long deadlineSeconds) {
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .build();
        return new CsiClient(group, channel, deadlineSeconds);
    }

    public ManagedChannel channel() {
        return channel;
    }

    public IdentityGrpc.IdentityBlockingStub identity() {
        return IdentityGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    public ControllerGrpc.ControllerBlockingStub controller() {
        return ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    public NodeGrpc.NodeBlockingStub node() {
        return NodeGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}

package io.openlocal.bench.scheduling;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The load generator's HTTP/1.1 client: one kept-alive loopback connection, one request at a time, the request
 * bytes made once. It does what kube-scheduler's client does on the wire and next to nothing else, so the
 * latencies measured are the extender's and the network stack's, not a general-purpose client's (the JDK's
 * HttpClient hands every exchange between threads, which costs more than the empty route itself on a small
 * machine). Reads Content-Length and chunked bodies; anything else is an error.
 */
final class KeepAliveClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] request;
    private final byte[] sink = new byte[64 * 1024];

    KeepAliveClient(int port, String method, String path, byte[] body) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        request = new byte[headBytes.length + (body == null ? 0 : body.length)];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        if (body != null) {
            System.arraycopy(body, 0, request, headBytes.length, body.length);
        }
    }

    /** Sends the request and reads the whole response; returns the status code. */
    int exchange() throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line().strip(), 16); size > 0; size = Long.parseLong(line().strip(), 16)) {
                skip(size);
                line();
            }
            line();
        } else if (length >= 0) {
            skip(length);
        } else {
            throw new IOException("response without a length");
        }
        return code;
    }

    private void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                throw new IOException("connection closed in a body");
            }
            left -= n;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

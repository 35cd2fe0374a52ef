package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the bytes of one connection into top-level JSON values the way the target's receive loop does:
 * no delimiter is needed between values ({@code {..}{..}} is two requests), a value split across reads is
 * put back together, and bytes that can never become JSON are a parse error (the target then closes the
 * connection). Built on Jackson's non-blocking parser, so an invalid token is seen as soon as it arrives.
 */
final class RequestStream {

    /** What one feed produced: the complete values, and whether the stream turned out to be malformed. */
    record Feed(List<JsonNode> values, boolean malformed) {
    }

    private final ObjectMapper mapper;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private TokenBuffer current;
    private int depth;

    RequestStream(ObjectMapper mapper) {
        this.mapper = mapper;
        try {
            this.parser = mapper.getFactory().createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot make a non-blocking parser", e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    Feed feed(byte[] bytes, int length) {
        List<JsonNode> values = new ArrayList<>();
        try {
            feeder.feedInput(bytes, 0, length);
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                if (current == null) {
                    current = new TokenBuffer(parser);
                }
                current.copyCurrentEvent(parser);
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
                if (depth == 0) {
                    try (JsonParser replay = current.asParser(mapper)) {
                        values.add(mapper.readTree(replay));
                    }
                    current = null;
                }
            }
            return new Feed(values, false);
        } catch (IOException e) {
            return new Feed(values, true);
        }
    }
}

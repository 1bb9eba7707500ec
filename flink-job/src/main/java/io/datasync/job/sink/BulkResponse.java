package io.datasync.job.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code _bulk} response with Jackson's streaming parser, keeping per item only its status
 * and, when it failed, OpenSearch's error (type, reason and the chain of causes). Items answer the
 * actions in order, so a response with another number of items cannot be matched and is an error.
 */
final class BulkResponse {
    private static final JsonFactory JSON = new JsonFactory();

    /** One item: the HTTP status and, when the item failed, its error type and reason (null when it did not). */
    record Item(int status, String errorType, String errorReason) {
        boolean failed() {
            return errorType != null;
        }

        /** "type: reason" with its causes, as shown to people. */
        String error() {
            return new ErrorText(errorType, errorReason).text();
        }
    }

    /** An error object of the response: its type and its reason followed by its causes. */
    private record ErrorText(String type, String reason) {
        String text() {
            return reason == null ? type : type + ": " + reason;
        }
    }

    private BulkResponse() {}

    static List<Item> parse(InputStream body, int expectedItems) throws IOException {
        List<Item> items = new ArrayList<>(expectedItems);
        try (JsonParser json = JSON.createParser(body)) {
            expect(json, json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if ("items".equals(field)) {
                    expect(json, value, JsonToken.START_ARRAY);
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        items.add(item(json));
                    }
                } else {
                    json.skipChildren();
                }
            }
        }
        if (items.size() != expectedItems) {
            throw new IOException("the bulk response has " + items.size() + " items for " + expectedItems + " actions");
        }
        return items;
    }

    /** {@code {"index": {"status": 201, "error": {...}, ...}}}; the parser is on the outer START_OBJECT. */
    private static Item item(JsonParser json) throws IOException {
        expect(json, json.nextToken(), JsonToken.FIELD_NAME);
        expect(json, json.nextToken(), JsonToken.START_OBJECT);
        int status = -1;
        ErrorText error = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if ("status".equals(field)) {
                status = json.getIntValue();
            } else if ("error".equals(field)) {
                error = value == JsonToken.START_OBJECT ? error(json) : new ErrorText("error", json.getValueAsString());
            } else {
                json.skipChildren();
            }
        }
        expect(json, json.nextToken(), JsonToken.END_OBJECT);
        if (status < 0) {
            throw new IOException("a bulk response item without a status near " + json.currentLocation());
        }
        return error == null ? new Item(status, null, null) : new Item(status, error.type(), error.reason());
    }

    /** Type and reason of an error object, the reason followed by "; caused by: type: reason" for each cause. */
    private static ErrorText error(JsonParser json) throws IOException {
        String type = null;
        StringBuilder reason = new StringBuilder();
        String causedBy = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if ("type".equals(field)) {
                type = json.getValueAsString();
            } else if ("reason".equals(field)) {
                reason.append(json.getValueAsString());
            } else if ("caused_by".equals(field) && value == JsonToken.START_OBJECT) {
                causedBy = error(json).text();
            } else {
                json.skipChildren();
            }
        }
        if (causedBy != null) {
            reason.append(reason.length() == 0 ? "" : "; ").append("caused by: ").append(causedBy);
        }
        return new ErrorText(type == null ? "unknown_error" : type, reason.length() == 0 ? null : reason.toString());
    }

    private static void expect(JsonParser json, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected bulk response: " + actual + " where " + expected + " belongs, near "
                    + json.currentLocation());
        }
    }
}

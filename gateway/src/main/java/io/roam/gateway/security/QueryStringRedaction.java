package io.roam.gateway.security;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Traces record the query string of every request the gateway serves, and a client may put anything there — a token
 * it hoped would be read (it never is), a password. Before a span can be exported, the value of every query parameter
 * that is not one of the API's own is replaced by {@value #REDACTED}; the API's parameters hold names and ids, never
 * secrets. Quarkus adds every CDI {@link SpanProcessor} to the tracer provider.
 */
@ApplicationScoped
public class QueryStringRedaction implements SpanProcessor {

    static final String REDACTED = "REDACTED";

    /** The query parameters of the gateway's API (project, filters, paging, placement). */
    private static final Set<String> API_PARAMETERS = Set.of("project", "kind", "name", "label", "cursor", "limit", "near", "after");
    private static final List<AttributeKey<String>> ATTRIBUTES_WITH_A_QUERY = List.of(
            AttributeKey.stringKey("url.query"), AttributeKey.stringKey("url.full"), AttributeKey.stringKey("http.target"),
            AttributeKey.stringKey("http.url"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : ATTRIBUTES_WITH_A_QUERY) {
            String value = span.getAttribute(key);
            if (value != null) {
                span.setAttribute(key, key.getKey().equals("url.query") ? redactQuery(value) : redactUrl(value));
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    /** {@code url} with its query string {@link #redactQuery redacted}. */
    static String redactUrl(String url) {
        int start = url.indexOf('?');
        if (start < 0) {
            return url;
        }
        int end = url.indexOf('#', start);
        String query = end < 0 ? url.substring(start + 1) : url.substring(start + 1, end);
        return url.substring(0, start + 1) + redactQuery(query) + (end < 0 ? "" : url.substring(end));
    }

    /**
     * The query string {@code project=llm&access_token=x} as {@code project=llm&access_token=REDACTED}: the API's own
     * parameters are kept, every other value is replaced, and a bare value ({@code ?x}) too.
     */
    static String redactQuery(String query) {
        List<String> parameters = new ArrayList<>();
        for (String parameter : query.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (parameter.isEmpty() || API_PARAMETERS.contains(name)) {
                parameters.add(parameter);
            }
            else {
                parameters.add(equals < 0 ? REDACTED : name + "=" + REDACTED);
            }
        }
        return String.join("&", parameters);
    }
}

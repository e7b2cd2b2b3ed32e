package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

import java.util.Locale;
import java.util.Set;

/**
 * The API's answers carry only the headers the API sets itself. platform-http copies every Camel
 * message header to the response, and the query parameters are message headers: without this an
 * answer could repeat what the request sent (header injection, reflected values).
 */
public class ResponseHeaderFilter extends HttpHeaderFilterStrategy {
    private static final Set<String> OUTGOING = Set.of("content-type", "cache-control");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !OUTGOING.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}

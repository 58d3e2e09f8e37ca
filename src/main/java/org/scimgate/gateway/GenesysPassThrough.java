package org.scimgate.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.scimgate.genesys.GenesysScim;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** What the gateway passes through unjudged: reads, Genesys' answers, and query strings rebuilt for Genesys. */
@Component
class GenesysPassThrough {

    static final String SCIM_JSON = "application/scim+json";

    private final GatewaySettings settings;

    GenesysPassThrough(GatewaySettings settings) {
        this.settings = settings;
    }

    /** Genesys' answer as the caller gets it: status, headers and body, as SCIM JSON unless Genesys said otherwise. */
    ResponseEntity<String> relay(GenesysScim.Answer answer) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
        answer.headers().forEach(response::header);
        if (!answer.headers().containsKey("Content-Type")) {
            response.header(HttpHeaders.CONTENT_TYPE, SCIM_JSON);
        }
        return response.body(answer.body());
    }

    /** The query passed on to Genesys; {@code count} is clamped, as Genesys may answer 429 to pages over 25. */
    String query(HttpServletRequest request) {
        if (request.getParameterMap().isEmpty()) {
            return "";
        }
        StringBuilder query = new StringBuilder();
        request.getParameterMap().forEach((name, values) -> {
            for (String value : values) {
                if (name.equalsIgnoreCase("count")) {
                    try {
                        value = Integer.toString(Math.min(Integer.parseInt(value), settings.maxPageSize()));
                    } catch (NumberFormatException e) {
                        // Genesys explains a bad count better than we would
                    }
                }
                query.append(query.length() == 0 ? '?' : '&').append(encode(name)).append('=').append(encode(value));
            }
        });
        return query.toString();
    }

    /** A path segment or query value as Genesys must receive it. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

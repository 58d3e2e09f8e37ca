package org.scimgate.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import jakarta.servlet.DispatcherType;
import java.util.Arrays;
import org.scimgate.decision.Decisions;
import org.scimgate.edge.Refusals;
import org.scimgate.security.WebhookAuthenticator;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook endpoint, registered ahead of Spring Security, and its entry in the OpenAPI document. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    FilterRegistrationBean<WebhookFilter> webhookFilter(WebhookJudge judge, WebhookAudit audit, Decisions decisions,
                                                            ObjectMapper json, WebhookSettings settings,
                                                            WebhookAuthenticator authenticator, Refusals refusals) {
        FilterRegistrationBean<WebhookFilter> registration = new FilterRegistrationBean<>(
                new WebhookFilter(judge, audit, decisions, json, settings, authenticator, refusals));
        registration.addUrlPatterns(WebhookFilter.PATH);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        // After the observation filter (http.server.requests), before the security chain.
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    /** Documents the endpoint as the controller it used to be, from the same body types. */
    @Bean
    OpenApiCustomizer webhookOperation() {
        return openApi -> {
            Components components = openApi.getComponents();
            Operation post = new Operation()
                    .summary("Judge a provisioning event")
                    .description("Evaluates the SCIM user of a user.created event against the live ruleset, records "
                            + "the decision, then answers. A retried delivery (same x-genesys-webhook-id, or the same "
                            + "body) gets the first answer again.")
                    .addSecurityItem(new SecurityRequirement().addList("webhookToken"))
                    .requestBody(new RequestBody().required(true)
                            .content(json(schema(components, WebhookApiDoc.Envelope.class))))
                    .responses(new ApiResponses()
                            .addApiResponse("200", response("ACCEPTED (with warnings from warn-mode rules), or IGNORED",
                                    components, WebhookResponses.Accepted.class, WebhookResponses.Ignored.class))
                            .addApiResponse("400", response("REJECTED by the policy (the tutorial's body), or MALFORMED",
                                    components, WebhookResponses.Rejected.class, WebhookResponses.Error.class))
                            .addApiResponse("401", response("UNAUTHENTICATED: missing or invalid webhook credentials; "
                                    + "counted with this address's other refusals of the minute in one audit row (decisionId)",
                                    components, WebhookResponses.Error.class))
                            .addApiResponse("429", response("TOO_MANY_REFUSALS: this address was refused too often "
                                    + "this minute; retry after Retry-After", components, WebhookResponses.Error.class))
                            .addApiResponse("409", response("DELIVERY_ID_REUSED: the x-genesys-webhook-id was used "
                                    + "before for a different body; recorded, not judged", components,
                                    WebhookResponses.Error.class))
                            .addApiResponse("413", response("PAYLOAD_TOO_LARGE", components, WebhookResponses.Error.class))
                            .addApiResponse("415", response("UNSUPPORTED_MEDIA_TYPE", components,
                                    WebhookResponses.Error.class))
                            .addApiResponse("503", response("AUDIT_UNAVAILABLE: nothing was decided; retry after "
                                    + "Retry-After", components, WebhookResponses.Error.class)));
            openApi.path(WebhookFilter.PATH, new PathItem().post(post));
        };
    }

    private static ApiResponse response(String description, Components components, Class<?>... bodies) {
        Schema<?> schema = bodies.length == 1 ? schema(components, bodies[0])
                : new ComposedSchema().oneOf(Arrays.stream(bodies).map(b -> (Schema) schema(components, b)).toList());
        return new ApiResponse().description(description).content(json(schema));
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                new MediaType().schema(schema));
    }

    /** A reference to {@code type}'s schema, added with those it refers to. */
    @SuppressWarnings("rawtypes")
    private static Schema<?> schema(Components components, Class<?> type) {
        var resolved = ModelConverters.getInstance().readAllAsResolvedSchema(type);
        resolved.referencedSchemas.forEach((name, schema) -> {
            if (components.getSchemas() == null || !components.getSchemas().containsKey(name)) {
                components.addSchemas(name, (Schema) schema);
            }
        });
        String name = resolved.schema.getName();
        return new Schema<>().$ref("#/components/schemas/" + name);
    }
}

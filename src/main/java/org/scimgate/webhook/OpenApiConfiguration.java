package org.scimgate.webhook;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs} (and the UI at {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI scimgateOpenApi() {
        return new OpenAPI()
                .info(new Info().title("scimgate")
                        .description("Compliance gate for SCIM provisioning into Genesys Cloud: the webhook Genesys calls, "
                                + "and the JSON API for analysts and operators.")
                        .version("v1"))
                .components(new Components()
                        .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("SCIMGATE_ANALYST_KEY or SCIMGATE_OPERATOR_KEY (or a JWT when configured)"))
                        .addSecuritySchemes("webhookToken", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("SCIMGATE_WEBHOOK_TOKEN; HTTP Basic with it as password works too")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}

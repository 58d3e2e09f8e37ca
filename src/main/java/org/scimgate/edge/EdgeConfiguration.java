package org.scimgate.edge;

import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Tomcat as the edge needs it: the read deadline ({@link DeadlineProtocol} for headers,
 * {@link EdgeValve} and {@link ReadDeadline} for bodies), no
 * worker left draining a body nobody will read, each single read waiting at most the read timeout
 * (the connector's {@code connectionTimeout}), and JSON, never HTML, for what Tomcat refuses
 * itself ({@link JsonErrorReport}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class EdgeConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> edgeTomcat(EdgeSettings settings) {
        return factory -> {
            factory.setProtocol(DeadlineProtocol.class.getName());
            factory.addEngineValves(new EdgeValve(settings.readTimeout()));
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof DeadlineProtocol protocol) {
                    protocol.readTimeoutMillis(settings.readTimeout().toMillis());
                }
                connector.setProperty("connectionTimeout", Long.toString(settings.readTimeout().toMillis()));
                // Tomcat's own refusal of TRACE is an empty 400; EdgeValve refuses it with a body.
                connector.setAllowTrace(true);
            });
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(JsonErrorReport.class.getName());
                }
            });
        };
    }

    /**
     * What Spring Security's firewall refuses (a path Tomcat let through that it finds unsafe) gets
     * the audience's error body too, not a forward to the error page.
     */
    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, e) -> {
            EdgeErrors.Body body = EdgeErrors.of(request.getRequestURI(), 400);
            response.setStatus(400);
            response.setContentType(body.contentType());
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(body.json());
        };
    }

    /** First of all filters, so that every body read, the webhook's included, is held to the deadline. */
    @Bean
    FilterRegistrationBean<ReadDeadline> readDeadline() {
        FilterRegistrationBean<ReadDeadline> registration = new FilterRegistrationBean<>(new ReadDeadline());
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}

package org.scimgate.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says where the console is once the web server listens — on the port it really took, which with
 * {@code PORT=0} is known only then — and how to sign in. The key itself is printed only on the
 * first start (by the credentials), never here.
 */
@Component
class ConsoleAddress implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAddress.class);

    private final Environment environment;

    ConsoleAddress(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // a separate management server, not the console's
        }
        LOG.info("The console is at {}: sign in with the operator key (printed on the first start and kept in {}, "
                        + "or SCIMGATE_OPERATOR_KEY) or the analyst key (SCIMGATE_ANALYST_KEY)",
                url(event.getWebServer().getPort()),
                environment.getProperty("scimgate.security.credentials-dir", "./data/credentials") + "/operator-key");
    }

    String url(int port) {
        String address = environment.getProperty("server.address", "");
        String host = address.isBlank() || address.equals("0.0.0.0") || address.equals("::") ? "localhost" : address;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        String contextPath = environment.getProperty("server.servlet.context-path", "");
        return "http://" + host + ":" + port + contextPath + "/";
    }
}

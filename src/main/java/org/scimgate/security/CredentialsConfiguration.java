package org.scimgate.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The service's secrets, checked at start-up. Commands that run without a web server (such as
 * {@code audit verify}) take no calls, so they get no secrets: nothing is generated or checked.
 */
@Configuration(proxyBeanMethods = false)
class CredentialsConfiguration {

    @Bean
    @ConditionalOnWebApplication
    Credentials credentials(SecuritySettings settings, Environment environment) {
        ConfiguredSecrets.check(environment);
        return new Credentials(settings);
    }

    @Bean
    @ConditionalOnNotWebApplication
    Credentials noCredentials() {
        return Credentials.none();
    }
}

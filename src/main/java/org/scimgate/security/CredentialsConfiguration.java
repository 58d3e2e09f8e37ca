package org.scimgate.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The service's secrets, checked at start-up; commands without a web server need none. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class CredentialsConfiguration {

    @Bean
    Credentials credentials(SecuritySettings settings, Environment environment) {
        ConfiguredSecrets.check(environment);
        return new Credentials(settings);
    }
}

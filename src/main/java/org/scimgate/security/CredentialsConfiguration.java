package org.scimgate.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CredentialsConfiguration {

    @Bean
    Credentials credentials(SecuritySettings settings) {
        return new Credentials(settings);
    }
}

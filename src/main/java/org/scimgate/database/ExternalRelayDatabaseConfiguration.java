package org.scimgate.database;

import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code SPRING_DATASOURCE_URL} set: the relay connects to the same database as the role in
 * {@code SPRING_DATASOURCE_RELAY_USERNAME} / {@code SPRING_DATASOURCE_RELAY_PASSWORD} when one is
 * set (production: {@code scimgate_relay}, which migration V14 grants the outbox functions), and
 * shares the service's connections otherwise (a service connecting as the schema owner).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${spring.datasource.url:}'.isEmpty()")
class ExternalRelayDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    RelayDatabase relayDatabase(DataSource dataSource, @Value("${spring.datasource.url}") String url,
                                @Value("${spring.datasource.relay.username:}") String username,
                                @Value("${spring.datasource.relay.password:}") String password) {
        return username.isBlank() ? RelayDatabase.sharing(dataSource) : RelayDatabase.connectingAs(url, username, password);
    }
}

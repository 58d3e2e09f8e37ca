package org.scimgate.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code SPRING_DATASOURCE_URL} set, Spring Boot connects to that database as usual. Without
 * it, the service starts its own PostgreSQL in the data directory: Flyway migrates it as the
 * superuser (the schema's owner), the service connects as the application role, and its SIEM relay
 * as the relay role.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DatabaseSettings settings,
            @Value("${spring.flyway.placeholders.app_role:scimgate_app}") String appRole) {
        // Started on its own thread while the context started (EmbeddedDatabasePreloader), taken here.
        return EmbeddedDatabasePreloader.take(settings, appRole);
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        return DataSourceBuilder.create().type(HikariDataSource.class)
                .url(database.jdbcUrl())
                .username(database.appRole())
                .password(database.appPassword())
                .build();
    }

    /** The relay connects as its own role, with its own generated password. */
    @Bean(destroyMethod = "close")
    RelayDatabase relayDatabase(EmbeddedDatabase database) {
        return RelayDatabase.connectingAs(database.jdbcUrl(), database.relayRole(), database.relayPassword());
    }

    @Bean
    FlywayConfigurationCustomizer migrateAsOwner(EmbeddedDatabase database) {
        return flyway -> flyway.dataSource(database.jdbcUrl(), EmbeddedPostgresServer.SUPERUSER,
                database.superuserPassword());
    }
}

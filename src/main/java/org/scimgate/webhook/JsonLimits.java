package org.scimgate.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds on what the JSON parser accepts, well under Jackson's defaults: a SCIM user is shallow
 * and short, so deep nesting or megabyte strings are attacks, refused as malformed input. A key
 * twice in one object is refused too: parsers disagree on which one counts, so the policy and
 * Genesys could read different users.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimits {

    static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(32)
            .maxStringLength(64 * 1024)
            .maxNumberLength(100)
            .maxNameLength(1024)
            .maxDocumentLength(2L * 1024 * 1024)
            .build();

    @Bean
    Jackson2ObjectMapperBuilderCustomizer jsonStreamReadConstraints() {
        return builder -> builder.featuresToEnable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .postConfigurer(mapper -> mapper.getFactory().setStreamReadConstraints(CONSTRAINTS));
    }
}

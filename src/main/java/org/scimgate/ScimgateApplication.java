package org.scimgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ScimgateApplication {

    public static void main(String[] args) {
        SpringApplication.run(ScimgateApplication.class, args);
    }
}

package org.scimgate.policy;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the policy lives.
 *
 * @param rulesDir the directory of DRL files and reference data, read from the file system at
 *                 start-up so analysts change policy without a rebuild (env {@code SCIMGATE_RULES_DIR})
 */
@ConfigurationProperties("scimgate.policy")
public record PolicySettings(@DefaultValue("./rules") Path rulesDir) {
}

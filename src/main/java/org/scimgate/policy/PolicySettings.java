package org.scimgate.policy;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the policy lives.
 *
 * @param rulesDir the directory of DRL files and reference data, read from the file system at
 *                 start-up so analysts change policy without a rebuild (env {@code SCIMGATE_RULES_DIR})
 * @param watch    reload the rules when the directory changes (env {@code SCIMGATE_RULES_WATCH})
 * @param settle   how long the directory must be quiet after a change before it is reloaded
 */
@ConfigurationProperties("scimgate.policy")
public record PolicySettings(@DefaultValue("./rules") Path rulesDir, @DefaultValue("true") boolean watch,
                             @DefaultValue("500ms") Duration settle) {
}

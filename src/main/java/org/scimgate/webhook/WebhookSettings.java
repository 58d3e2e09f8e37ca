package org.scimgate.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The webhook endpoint.
 *
 * @param maxBodySize the largest request body accepted; larger ones get 413 (the tutorial's 1 MB)
 */
@ConfigurationProperties("scimgate.webhook")
record WebhookSettings(@DefaultValue("1MB") DataSize maxBodySize) {
}

package org.scimgate.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The webhook endpoint.
 *
 * @param maxBodySize the largest request body accepted; larger ones get 413 (the tutorial's 1 MB)
 * @param retryAfter  the {@code Retry-After} sent with a 503 when the audit cannot be written
 */
@ConfigurationProperties("scimgate.webhook")
record WebhookSettings(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("5s") Duration retryAfter) {
}

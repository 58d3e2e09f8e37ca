package org.scimgate.impact;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;

/**
 * The scheduled scan of the accounts already in Genesys.
 *
 * @param schedule a Spring cron expression (six fields, seconds first: {@code 0 0 3 * * *} is 03:00
 *                 every day, in the server's time zone) on which the service scans the org and records
 *                 each account the rules find fault with (env {@code SCIMGATE_SCAN_SCHEDULE}); empty: off
 */
@ConfigurationProperties("scimgate.scan")
record ScanSettings(@DefaultValue("") String schedule) {

    ScanSettings {
        schedule = schedule == null ? "" : schedule.strip();
        if (!schedule.isEmpty() && !CronExpression.isValidExpression(schedule)) {
            throw new IllegalArgumentException("scimgate.scan.schedule (SCIMGATE_SCAN_SCHEDULE) must be a cron "
                    + "expression with six fields, seconds first, e.g. \"0 0 3 * * *\" for 03:00 every day; not \""
                    + schedule + "\"");
        }
    }

    boolean enabled() {
        return !schedule.isEmpty();
    }
}

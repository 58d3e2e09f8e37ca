package org.scimgate.genesys;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Genesys Cloud regions are named by domain: the API is {@code api.<domain>}, the login
 * {@code login.<domain>}. New regions appear, so an unknown domain is accepted with a warning; a
 * value that is not a domain at all (the tutorial's {@code "us"}) stops start-up.
 */
public final class GenesysRegions {

    private static final Logger LOG = LoggerFactory.getLogger(GenesysRegions.class);

    public static final Set<String> KNOWN = Set.of(
            "mypurecloud.com", "mypurecloud.ie", "mypurecloud.de", "mypurecloud.jp", "mypurecloud.com.au",
            "usw2.pure.cloud", "cac1.pure.cloud", "sae1.pure.cloud", "mxc1.pure.cloud", "euw2.pure.cloud",
            "euc2.pure.cloud", "mec1.pure.cloud", "aps1.pure.cloud", "apse1.pure.cloud", "apne2.pure.cloud",
            "apne3.pure.cloud", "use2.us-gov-pure.cloud", "edee1.eusc-pure.cloud");

    private static final Pattern DOMAIN = Pattern.compile("^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");

    private GenesysRegions() {
    }

    static String requireDomain(String region) {
        String domain = region == null ? "" : region.trim().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("GENESYS_REGION must be the Genesys Cloud domain of your org, such as "
                    + "mypurecloud.com, mypurecloud.ie or usw2.pure.cloud, not '" + region + "'");
        }
        if (!KNOWN.contains(domain)) {
            LOG.warn("GENESYS_REGION {} is not a Genesys Cloud domain known to this version; using it as given", domain);
        }
        return domain;
    }
}

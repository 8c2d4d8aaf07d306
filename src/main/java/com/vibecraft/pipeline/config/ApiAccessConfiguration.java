package com.vibecraft.pipeline.config;

import com.vibecraft.pipeline.api.ApiAccess;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The API token and CORS ({@code vibecraft.api-token}, {@code vibecraft.auth.*}, {@code vibecraft.cors.*}).
 * They are Vert.x handlers on the HTTP server's main router rather than a Camel route step, so a
 * request is refused before its body is read: a refused upload never reaches the disk or the database.
 */
@Configuration
public class ApiAccessConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        PropertiesComponent props = camelContext.getPropertiesComponent();
        String maxAge = props.resolveProperty("vibecraft.cors.max-age-sec").orElse("600");
        int maxAgeSec;
        try {
            maxAgeSec = Integer.parseInt(maxAge.trim());
        } catch (NumberFormatException e) {
            maxAgeSec = -1;
        }
        if (maxAgeSec < 0) {
            throw new IllegalArgumentException("vibecraft.cors.max-age-sec must be a whole number of seconds, 0 or more, got '"
                    + maxAge + "'");
        }
        String protectReads = props.resolveProperty("vibecraft.auth.protect-reads").orElse("false").trim();
        if (!protectReads.equalsIgnoreCase("true") && !protectReads.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("vibecraft.auth.protect-reads (VIBECRAFT_AUTH_PROTECT_READS) must be true or"
                    + " false, got '" + protectReads + "'");
        }
        ApiAccess access = new ApiAccess(props.resolveProperty("vibecraft.api-token").orElse(""),
                Boolean.parseBoolean(protectReads),
                ApiAccess.origins(props.resolveProperty("vibecraft.cors.allowed-origins").orElse("")), maxAgeSec);
        if (access.corsEnabled()) {
            access.corsHandler(); // a malformed origin fails here, at start-up
        }
        camelContext.getRegistry().bind("apiAccess", access);
        try {
            camelContext.addStartupListener((context, alreadyStarted) -> ApiAccess.install(context, access));
        } catch (Exception e) {
            throw new IllegalStateException("Could not register the API access checks", e);
        }
    }
}

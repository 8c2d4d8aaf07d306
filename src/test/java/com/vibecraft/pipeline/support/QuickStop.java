package com.vibecraft.pipeline.support;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * Stops a service started inside a test within {@link #PROPERTY} milliseconds when
 * {@link TestEnvironment#prepare} set it (found by Camel main's scan of the package on the test class
 * path; without the property it does nothing). {@code camel.main.shutdown-timeout} counts in whole
 * seconds, and Camel's graceful shutdown looks at the work in flight once a second: with the
 * scheduled Redis reads always in flight (each blocks up to 1 s in XREADGROUP), every service
 * stopped at the end of a test class waited the full second. Work still in flight is cut off, as it
 * was after that second: nothing waits on it.
 */
@Configuration
public class QuickStop implements CamelConfiguration {

    public static final String PROPERTY = "test.shutdown-timeout-ms";

    @Override
    public void configure(CamelContext context) {
        String ms = System.getProperty(PROPERTY, "");
        if (ms.isBlank()) {
            return;
        }
        // applied when the stop begins, after camel.main.* has set its own timeout (in seconds)
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                ShutdownStrategy shutdown = context.getShutdownStrategy();
                shutdown.setTimeUnit(TimeUnit.MILLISECONDS);
                shutdown.setTimeout(Long.parseLong(ms));
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
    }
}

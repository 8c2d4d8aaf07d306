package com.vibecraft.pipeline.ops;

import java.util.Map;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: a circuit breaker's state. Both breakers have a fallback that keeps the service
 * working (the local detector; a failed clip result that is retried later), so an open breaker is
 * degraded, never down.
 */
public class BreakerCheck extends AbstractHealthCheck {

    private final String breakerId;
    private final String whenOpen;

    public BreakerCheck(String breakerId, String whenOpen) {
        super("vibecraft", breakerId);
        this.breakerId = breakerId;
        this.whenOpen = whenOpen;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ResilienceProcessor breaker = getCamelContext().getProcessor(breakerId, ResilienceProcessor.class);
        if (breaker == null || breaker.getCircuitBreaker() == null) {
            builder.unknown().message("circuit breaker " + breakerId + " is not running");
            return;
        }
        String state = breaker.getCircuitBreakerState();
        builder.up().detail("state", state).detail("failureRate", breaker.getFailureRate())
                .detail("notPermittedCalls", breaker.getNumberOfNotPermittedCalls());
        if (state.contains("OPEN") && !state.equals("HALF_OPEN")) {
            builder.detail(Readiness.DEGRADED_KEY, true).message("circuit breaker " + breakerId + " is " + state + ": " + whenOpen);
        }
    }
}

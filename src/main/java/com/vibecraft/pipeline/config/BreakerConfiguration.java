package com.vibecraft.pipeline.config;

import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.model.Resilience4jConfigurationDefinition;

/**
 * The circuit breakers' settings, one named configuration each, from {@code vibecraft.*.breaker.*}:
 * the routes refer to them by name ({@code circuitBreaker.configuration}) instead of repeating them.
 */
@Configuration
public class BreakerConfiguration {

    /** Around Audjust (route analyze-song): its own time limit, and the local detector as fallback. */
    @BindToRegistry("audjustBreaker")
    public Resilience4jConfigurationDefinition audjustBreaker(
            @PropertyInject("vibecraft.audjust.breaker.window-size") int windowSize,
            @PropertyInject("vibecraft.audjust.breaker.minimum-calls") int minimumCalls,
            @PropertyInject("vibecraft.audjust.breaker.failure-rate-percent") int failureRatePercent,
            @PropertyInject("vibecraft.audjust.breaker.open-wait-sec") int openWaitSec,
            @PropertyInject("vibecraft.audjust.breaker.half-open-calls") int halfOpenCalls,
            @PropertyInject("vibecraft.audjust.breaker.timeout-sec") int timeoutSec) {
        Resilience4jConfigurationDefinition c = breaker(windowSize, minimumCalls, failureRatePercent, openWaitSec,
                halfOpenCalls);
        c.setTimeoutEnabled("true");
        c.setTimeoutDuration(String.valueOf(timeoutSec * 1000L));
        return c;
    }

    /** Around the video-generation API (route clip-worker); the worker's own HTTP timeouts bound each call. */
    @BindToRegistry("videoGeneratorBreaker")
    public Resilience4jConfigurationDefinition videoGeneratorBreaker(
            @PropertyInject("vibecraft.video.breaker.window-size") int windowSize,
            @PropertyInject("vibecraft.video.breaker.minimum-calls") int minimumCalls,
            @PropertyInject("vibecraft.video.breaker.failure-rate-percent") int failureRatePercent,
            @PropertyInject("vibecraft.video.breaker.open-wait-sec") int openWaitSec) {
        return breaker(windowSize, minimumCalls, failureRatePercent, openWaitSec, 1);
    }

    private static Resilience4jConfigurationDefinition breaker(int windowSize, int minimumCalls, int failureRatePercent,
                                                               int openWaitSec, int halfOpenCalls) {
        Resilience4jConfigurationDefinition c = new Resilience4jConfigurationDefinition();
        c.setSlidingWindowSize(String.valueOf(windowSize));
        c.setMinimumNumberOfCalls(String.valueOf(minimumCalls));
        c.setFailureRateThreshold(String.valueOf(failureRatePercent));
        c.setWaitDurationInOpenState(String.valueOf(openWaitSec));
        c.setPermittedNumberOfCallsInHalfOpenState(String.valueOf(halfOpenCalls));
        c.setAutomaticTransitionFromOpenToHalfOpenEnabled("true");
        return c;
    }
}

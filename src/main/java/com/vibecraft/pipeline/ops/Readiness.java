package com.vibecraft.pipeline.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code GET /readyz}: every readiness check of Camel's health-check registry (Camel's own context
 * check and ours: database, redis, clip-queue, the breakers), folded into one answer. DOWN anywhere
 * is 503; a check that is up but marked {@value #DEGRADED_KEY} (an open breaker with its fallback,
 * a lagging clip queue) makes the whole answer {@code DEGRADED} with 200, so a load balancer keeps
 * sending traffic that the service can still serve.
 */
public class Readiness {

    /** Detail a check sets when it is up but working in a reduced way. */
    public static final String DEGRADED_KEY = "degraded";

    private final CamelContext context;

    public Readiness(CamelContext context) {
        this.context = context;
    }

    public Map<String, Object> readyz(Exchange exchange) {
        Map<String, Object> report = report();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, "DOWN".equals(report.get("status")) ? 503 : 200);
        return report;
    }

    public Map<String, Object> report() {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        List<HealthCheck.Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(r -> r.getCheck().getId()));
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean down = false;
        boolean degraded = false;
        List<String> failing = new ArrayList<>();
        for (HealthCheck.Result r : sorted) {
            String status = r.getState().name();
            if (r.getState() == HealthCheck.State.DOWN) {
                down = true;
                failing.add(r.getCheck().getId());
            } else if (Boolean.TRUE.equals(r.getDetails().get(DEGRADED_KEY))) {
                degraded = true;
                status = "DEGRADED";
            }
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("status", status);
            r.getMessage().ifPresent(m -> check.put("message", m));
            r.getError().filter(e -> r.getMessage().isEmpty()).ifPresent(e -> check.put("message", TimeLimit.reason(e)));
            r.getDetails().forEach((k, v) -> {
                // Camel's bookkeeping (invocation counts, times) is not for this answer
                if (!HealthCheckHelper.isReservedKey(k) && !k.startsWith("invocation.") && !k.startsWith("failure.")
                        && !k.startsWith("success.") && !DEGRADED_KEY.equals(k)) {
                    check.put(k, v);
                }
            });
            checks.put(r.getCheck().getId(), check);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", down ? "DOWN" : degraded ? "DEGRADED" : "UP");
        if (down) {
            report.put("down", failing);
        }
        report.put("checks", checks);
        return report;
    }
}

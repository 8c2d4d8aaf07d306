package com.vibecraft.pipeline.ops;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code jmx <pid | host:port | service:jmx:…> [command]}: the route and breaker MBeans of a running
 * service, without jconsole. A pid is reached through the JDK's attach API (same user, same machine;
 * it starts the JVM's local management agent, which listens on loopback only); host:port is a
 * remote connector opened with -Dcom.sun.management.jmxremote.port.
 */
public final class JmxCommand {

    public static final String USAGE = """
            Usage: java -jar vibecraft-pipeline.jar jmx <pid | host:port | service:jmx:URL> [command]
              routes                     every route (state, exchanges, failures, inflight, mean ms)
                                         and every circuit breaker (state, failure rate, calls not permitted);
                                         the default
              suspend <routeId>          suspend a route (its consumer stops taking work)
              resume <routeId>           resume it
              breaker-open <breakerId>   force a circuit breaker open (its fallback answers every call)
              breaker-close <breakerId>  close it again
            """;

    private static final String DOMAIN = "org.apache.camel";

    private JmxCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length < 1 || args.length > 3) {
            err.print(USAGE);
            return 2;
        }
        String command = args.length > 1 ? args[1] : "routes";
        String target = args.length > 2 ? args[2] : null;
        if (!command.equals("routes") && target == null) {
            err.print(USAGE);
            return 2;
        }
        try (JMXConnector connector = connect(args[0])) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            switch (command) {
                case "routes" -> list(jmx, out);
                case "suspend", "resume" -> {
                    ObjectName route = one(jmx, "type=routes", target);
                    jmx.invoke(route, command, null, null);
                    out.println(target + ": " + jmx.getAttribute(route, "State"));
                }
                case "breaker-open", "breaker-close" -> {
                    ObjectName breaker = one(jmx, "type=processors", target);
                    jmx.invoke(breaker, command.equals("breaker-open") ? "transitionToForcedOpenState"
                            : "transitionToCloseState", null, null);
                    out.println(target + ": " + jmx.getAttribute(breaker, "CircuitBreakerState"));
                }
                default -> {
                    err.println("Unknown jmx command '" + command + "'.");
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        return 0;
    }

    static JMXConnector connect(String where) throws Exception {
        JMXServiceURL url;
        if (where.startsWith("service:jmx:")) {
            url = new JMXServiceURL(where);
        } else if (where.matches("\\d+")) {
            url = new JMXServiceURL(localAgent(where));
        } else if (where.matches("[^:/]+:\\d+")) {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + where + "/jmxrmi");
        } else {
            throw new IllegalArgumentException("'" + where + "' is not a process id, host:port or service:jmx: URL");
        }
        return JMXConnectorFactory.connect(url);
    }

    /**
     * The local management agent's address of process {@code pid}, through the attach API. Called
     * reflectively: a JRE (the Docker image) has no jdk.attach module, and host:port must still work there.
     */
    private static String localAgent(String pid) throws Exception {
        Class<?> vmClass;
        try {
            vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Attaching by process id needs a JDK (module jdk.attach); on a JRE start "
                    + "the service with -Dcom.sun.management.jmxremote.port=<port> and use host:port");
        }
        Object vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
        try {
            return (String) vmClass.getMethod("startLocalManagementAgent").invoke(vm);
        } finally {
            vmClass.getMethod("detach").invoke(vm);
        }
    }

    private static ObjectName one(MBeanServerConnection jmx, String type, String name) throws Exception {
        Set<ObjectName> found = jmx.queryNames(new ObjectName(DOMAIN + ":" + type + ",name=" + ObjectName.quote(name) + ",*"), null);
        if (found.size() != 1) {
            throw new IllegalArgumentException("No " + type.substring(5, type.length() - 1) + " '" + name + "' in "
                    + DOMAIN + " (found " + found.size() + ")");
        }
        return found.iterator().next();
    }

    private static void list(MBeanServerConnection jmx, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "%-28s %-10s %8s %7s %9s %9s%n", "ROUTE", "STATE", "TOTAL", "FAILED", "INFLIGHT", "MEAN_MS");
        for (ObjectName n : sorted(jmx.queryNames(new ObjectName(DOMAIN + ":type=routes,*"), null))) {
            long mean = (Long) jmx.getAttribute(n, "MeanProcessingTime");
            out.printf(Locale.ROOT, "%-28s %-10s %8d %7d %9d %9s%n", jmx.getAttribute(n, "RouteId"),
                    jmx.getAttribute(n, "State"), (Long) jmx.getAttribute(n, "ExchangesTotal"),
                    (Long) jmx.getAttribute(n, "ExchangesFailed"), ((Number) jmx.getAttribute(n, "ExchangesInflight")).longValue(),
                    mean < 0 ? "-" : String.valueOf(mean));
        }
        out.println();
        out.printf(Locale.ROOT, "%-28s %-12s %12s %14s%n", "BREAKER", "STATE", "FAILURE_RATE", "NOT_PERMITTED");
        for (ObjectName n : sorted(jmx.queryNames(new ObjectName(DOMAIN + ":type=processors,*"), null))) {
            if (!isBreaker(jmx, n)) {
                continue;
            }
            out.printf(Locale.ROOT, "%-28s %-12s %12.1f %14d%n", jmx.getAttribute(n, "ProcessorId"),
                    jmx.getAttribute(n, "CircuitBreakerState"), ((Number) jmx.getAttribute(n, "FailureRate")).doubleValue(),
                    ((Number) jmx.getAttribute(n, "NumberOfNotPermittedCalls")).longValue());
        }
    }

    /** A processor MBean is a circuit breaker when it has the resilience4j processor's state attribute. */
    private static boolean isBreaker(MBeanServerConnection jmx, ObjectName n) throws Exception {
        for (var a : jmx.getMBeanInfo(n).getAttributes()) {
            if (a.getName().equals("CircuitBreakerState")) {
                return true;
            }
        }
        return false;
    }

    private static List<ObjectName> sorted(Set<ObjectName> names) {
        List<ObjectName> list = new ArrayList<>(names);
        list.sort((a, b) -> a.getKeyProperty("name").compareTo(b.getKeyProperty("name")));
        return list;
    }
}

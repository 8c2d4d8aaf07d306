package com.vibecraft.pipeline.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The web page's files, read once from {@code web/} on the classpath. Only names on the list are
 * served, so a request path can never reach another resource.
 */
public class WebAssets {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    public void page(Exchange exchange) {
        write(exchange, "index.html");
    }

    public void asset(Exchange exchange) {
        String name = exchange.getMessage().getHeader("asset", String.class);
        if (name == null || !NAME.matcher(name).matches() || read(name) == null) {
            ApiErrors.write(exchange, ApiErrors.error(404, "No such file: " + (name == null ? "" : name)));
            return;
        }
        write(exchange, name);
    }

    private void write(Exchange exchange, String name) {
        byte[] bytes = read(name);
        if (bytes == null) {
            throw new IllegalStateException("web/" + name + " is missing from the jar");
        }
        Message msg = exchange.getMessage();
        msg.removeHeaders("*", "CamelHttp*");
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        msg.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        // small files that change with each release: the browser revalidates instead of guessing
        msg.setHeader("Cache-Control", "no-cache");
        msg.setHeader("X-Content-Type-Options", "nosniff");
        msg.setBody(bytes);
    }

    private static byte[] read(String name) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream("web/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package com.vibecraft.pipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebAssetsTest {

    private final WebAssets assets = new WebAssets();

    private Exchange request(String asset) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("asset", asset);
        return exchange;
    }

    @Test
    void servesThePageAndItsFilesWithTheirTypes() {
        Exchange page = request(null);
        assets.page(page);
        assertEquals("text/html; charset=utf-8", page.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertTrue(new String(page.getMessage().getBody(byte[].class), StandardCharsets.UTF_8).contains("/ui/app.js"));

        Exchange script = request("app.js");
        assets.asset(script);
        assertEquals(200, script.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("text/javascript; charset=utf-8", script.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals("nosniff", script.getMessage().getHeader("X-Content-Type-Options"));

        Exchange css = request("style.css");
        assets.asset(css);
        assertEquals("text/css; charset=utf-8", css.getMessage().getHeader(Exchange.CONTENT_TYPE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../application.properties", "..%2Fapplication.properties", "routes/10-ingest.camel.yaml",
            "missing.js", "app.js.bak", "APP.JS", "", "index.html/..", "logback.xml"})
    void anythingElseIs404(String name) {
        Exchange exchange = request(name);
        assets.asset(exchange);
        assertEquals(404, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertTrue(exchange.getMessage().getBody(String.class).contains("No such file"));
    }
}

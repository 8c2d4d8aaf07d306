package com.vibecraft.pipeline.api;

import java.io.ByteArrayOutputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The answer of every REST-backed route (routes/api-songs.camel.yaml, respond-json): the body as JSON,
 * no request header echoed back, the exchange property {@code responseLocation} as the Location header.
 * One step instead of a header pattern match, a marshal and two header steps: the JSON comes out as
 * bytes (Camel's marshal gives a stream cache, which the HTTP server copies out in chunks on another
 * thread), written by Camel's own Jackson data format with its defaults, so the text is the same.
 */
public class JsonResponder {

    static final String LOCATION = "responseLocation";

    private final JacksonDataFormat json = new JacksonDataFormat();

    public JsonResponder(CamelContext context) {
        json.setCamelContext(context);
        ServiceHelper.startService(json);
    }

    public void respond(Exchange exchange) throws Exception {
        Message msg = exchange.getMessage();
        Object code = msg.getHeader(Exchange.HTTP_RESPONSE_CODE);
        msg.getHeaders().clear();
        if (code != null) {
            msg.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        }
        Object location = exchange.getProperty(LOCATION);
        if (location != null) {
            msg.setHeader("Location", String.valueOf(location));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        json.marshal(exchange, msg.getBody(), out);
        msg.setBody(out.toByteArray());
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}

package com.vibecraft.pipeline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.domain.ConflictException;
import com.vibecraft.pipeline.domain.NotFoundException;
import com.vibecraft.pipeline.ingest.IngestException;
import com.vibecraft.pipeline.storage.StorageException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps whatever a REST-backed route threw to a status code and a JSON error body; never a stack trace. */
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
            Map.entry(413, "Payload Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(416, "Range Not Satisfiable"), Map.entry(422, "Unprocessable Entity"),
            Map.entry(500, "Internal Server Error"), Map.entry(503, "Service Unavailable"));

    public void respond(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiError error = toError(e);
        if (error.status() == 503) {
            // an outage, not a bug: one line per request, the cause without its stack
            LOG.warn("Request {} {} answered 503: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), e == null ? "" : e.getMessage());
        } else if (error.status() >= 500) {
            LOG.error("Request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), e);
        }
        write(exchange, error);
    }

    public static void write(Exchange exchange, ApiError error) {
        var msg = exchange.getMessage();
        msg.removeHeaders("*", "CamelHttp*");
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
        msg.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            msg.setBody(JSON.writeValueAsString(error));
        } catch (JsonProcessingException ex) {
            msg.setBody("{\"status\":500,\"error\":\"Internal Server Error\",\"detail\":\"error\"}");
        }
    }

    public static ApiError toError(Throwable thrown) {
        Throwable e = meaningful(thrown);
        if (e instanceof ApiException a) {
            return error(a.status(), a.getMessage());
        }
        if (e instanceof NotFoundException) {
            return error(404, e.getMessage());
        }
        if (e instanceof ConflictException) {
            return error(409, e.getMessage());
        }
        if (e instanceof IngestException i) {
            int status = switch (i.reason()) {
                case EMPTY -> 400;
                case TOO_LARGE -> 413;
                case NOT_AUDIO -> 415;
                case UNDECODABLE, TOO_LONG, TOO_SHORT -> 422;
            };
            return error(status, i.getMessage());
        }
        if (e instanceof StorageException || e instanceof java.sql.SQLTransientConnectionException) {
            return error(503, "The database is not available right now; try again shortly.");
        }
        return error(500, "Something went wrong on our side; the error has been logged.");
    }

    /** Expression and bean-invocation wrappers hide the real exception in their cause. */
    private static Throwable meaningful(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ApiException || t instanceof NotFoundException || t instanceof ConflictException
                    || t instanceof IngestException || t instanceof StorageException
                    || t instanceof java.sql.SQLTransientConnectionException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return thrown;
    }

    public static ApiError error(int status, String detail) {
        return new ApiError(status, REASONS.getOrDefault(status, "Error"), detail);
    }
}

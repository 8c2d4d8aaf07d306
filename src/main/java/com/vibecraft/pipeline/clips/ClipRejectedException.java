package com.vibecraft.pipeline.clips;

/**
 * The video service worked but refused or failed this particular job (bad prompt, canceled):
 * the job fails, but the generator's circuit breaker does not count it against the service.
 */
public class ClipRejectedException extends Exception {
    public ClipRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

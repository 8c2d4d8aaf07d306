package com.vibecraft.pipeline.audjust;

/** Audjust answered, but not with what SPEC §3 promises; counts as a failure of the call. */
public class AudjustException extends RuntimeException {
    public AudjustException(String message) {
        super(message);
    }
}

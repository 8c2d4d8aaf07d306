package com.vibecraft.pipeline.audjust;

import java.util.regex.Pattern;

/**
 * Why an Audjust call failed, in words safe to store and show: no query strings (signed storage
 * URLs carry credentials there), never the API key.
 */
public final class AudjustFailures {

    private static final Pattern QUERY = Pattern.compile("(https?://[^\\s?#]+)[?#][^\\s]*");
    private static final Pattern STATUS = Pattern.compile("statusCode: (\\d{3})");

    private AudjustFailures() {
    }

    public static String describe(Throwable e, AudjustSettings settings) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        var status = STATUS.matcher(message);
        if (status.find()) {
            message = "HTTP " + status.group(1) + " at " + step(message, settings);
        }
        return scrub(message, settings);
    }

    /** Removes query strings from URLs and any occurrence of the API key. */
    public static String scrub(String text, AudjustSettings settings) {
        String s = QUERY.matcher(text).replaceAll("$1?…");
        if (settings != null && settings.apiKey() != null && !settings.apiKey().isBlank()) {
            s = s.replace(settings.apiKey(), "***");
        }
        return s;
    }

    private static String step(String message, AudjustSettings settings) {
        if (settings != null && settings.configured()) {
            if (message.contains(settings.uploadUrl())) {
                return "step 1 (upload URL)";
            }
            if (message.contains(settings.structureUrl())) {
                return "step 3 (structure request)";
            }
        }
        return "step 2 (audio PUT to the storage URL)";
    }
}

package com.vibecraft.pipeline.audjust;

/**
 * Where and how to reach Audjust (SPEC §3). Used only when both base URL and API key are set.
 * {@link #toString()} never shows the key.
 */
public record AudjustSettings(String baseUrl, String apiKey, String uploadPath, String structurePath, int timeoutSec) {

    public boolean configured() {
        return baseUrl != null && !baseUrl.isBlank() && apiKey != null && !apiKey.isBlank();
    }

    public String uploadUrl() {
        return join(baseUrl, uploadPath);
    }

    public String structureUrl() {
        return join(baseUrl, structurePath);
    }

    public int timeoutMillis() {
        return timeoutSec * 1000;
    }

    /** Joins with exactly one '/'. */
    static String join(String base, String path) {
        String b = base.trim();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        String p = path == null ? "" : path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() ? b : b + "/" + p;
    }

    @Override
    public String toString() {
        return "AudjustSettings[baseUrl=" + baseUrl + ", apiKey=" + (configured() ? "***" : "(none)")
                + ", uploadPath=" + uploadPath + ", structurePath=" + structurePath + ", timeoutSec=" + timeoutSec + "]";
    }
}

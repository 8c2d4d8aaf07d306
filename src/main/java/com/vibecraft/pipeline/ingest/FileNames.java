package com.vibecraft.pipeline.ingest;

/** Client-supplied names are kept only as display text; they never become paths. */
public final class FileNames {

    static final int MAX_LENGTH = 255;

    private FileNames() {
    }

    /** The last path segment, without control characters, trimmed to 255 characters; null when nothing is left. */
    public static String sanitize(String name) {
        if (name == null) {
            return null;
        }
        String s = name.replace('\\', '/');
        s = s.substring(s.lastIndexOf('/') + 1);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints()
                .filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT)
                .forEach(b::appendCodePoint);
        s = b.toString().strip();
        while (s.startsWith(".")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            return null;
        }
        if (s.codePointCount(0, s.length()) > MAX_LENGTH) {
            s = s.substring(0, s.offsetByCodePoints(0, MAX_LENGTH));
        }
        return s;
    }

    /** A title from the file name when the client gave none: without the extension. */
    public static String titleFrom(String sanitizedName) {
        if (sanitizedName == null) {
            return null;
        }
        int dot = sanitizedName.lastIndexOf('.');
        return dot > 0 ? sanitizedName.substring(0, dot) : sanitizedName;
    }
}

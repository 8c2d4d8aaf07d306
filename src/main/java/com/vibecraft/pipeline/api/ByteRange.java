package com.vibecraft.pipeline.api;

import java.util.Optional;

/** One byte range of an HTTP {@code Range} header, resolved against a file size (RFC 9110 §14). */
public record ByteRange(long start, long end) {

    public long length() {
        return end - start + 1;
    }

    /** The same start, at most {@code max} bytes long. */
    public ByteRange capped(long max) {
        return length() <= max ? this : new ByteRange(start, start + max - 1);
    }

    /**
     * @return empty when there is no usable single range (serve the whole file)
     * @throws ApiException 416 when the range lies outside the file
     */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null || !header.trim().toLowerCase(java.util.Locale.ROOT).startsWith("bytes=")) {
            return Optional.empty();
        }
        String spec = header.trim().substring(6).trim();
        if (spec.contains(",")) {
            return Optional.empty(); // several ranges: the whole file is an allowed answer
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw unsatisfiable(size);
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            long start;
            long end;
            if (a.isEmpty()) {
                long suffix = parseClamped(b);
                if (suffix <= 0) {
                    throw unsatisfiable(size);
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = parseClamped(a);
                end = b.isEmpty() ? size - 1 : Math.min(parseClamped(b), size - 1);
            }
            if (start < 0 || start >= size || end < start) {
                throw unsatisfiable(size);
            }
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            throw unsatisfiable(size);
        }
    }

    /** A position of only digits beyond what a long holds is simply "past the end". */
    private static long parseClamped(String digits) {
        if (!digits.matches("\\d+")) {
            throw new NumberFormatException(digits);
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ApiException unsatisfiable(long size) {
        return new ApiException(416, "The requested range is not within the file's " + size + " bytes.");
    }
}

package com.vibecraft.pipeline.audjust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class AudjustFailuresTest {

    private final AudjustSettings settings = new AudjustSettings("http://aj.example/api", "k3y-secret", "/upload",
            "/structure", 30);

    @Test
    void httpFailuresNameTheStepWithoutTheSignedUrl() {
        RuntimeException put = new RuntimeException("HTTP operation failed invoking "
                + "http://store.example/a.bin?X-Amz-Signature=SECRETSIG&X-Amz-Credential=AKIA with statusCode: 500");
        assertEquals("HTTP 500 at step 2 (audio PUT to the storage URL)", AudjustFailures.describe(put, settings));
        RuntimeException upload = new RuntimeException("HTTP operation failed invoking http://aj.example/api/upload "
                + "with statusCode: 401");
        assertEquals("HTTP 401 at step 1 (upload URL)", AudjustFailures.describe(upload, settings));
        RuntimeException structure = new RuntimeException("HTTP operation failed invoking "
                + "http://aj.example/api/structure with statusCode: 503");
        assertEquals("HTTP 503 at step 3 (structure request)", AudjustFailures.describe(structure, settings));
    }

    @Test
    void otherMessagesLoseQueryStringsAndTheKey() {
        String s = AudjustFailures.describe(new RuntimeException("Connect to http://s.example/x?sig=abc failed, key k3y-secret"),
                settings);
        assertFalse(s.contains("sig=abc"), s);
        assertFalse(s.contains("k3y-secret"), s);
        assertEquals("IllegalStateException", AudjustFailures.describe(new IllegalStateException(), settings));
    }
}

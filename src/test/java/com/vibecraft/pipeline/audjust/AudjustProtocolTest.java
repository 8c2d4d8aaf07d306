package com.vibecraft.pipeline.audjust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vibecraft.pipeline.analysis.RawSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudjustProtocolTest {

    private final AudjustProtocol protocol = new AudjustProtocol();

    @Test
    void readsSectionsAtTopLevelOrUnderResult() {
        List<RawSegment> top = protocol.sections(FakeAudjust.sectionsJson(false));
        List<RawSegment> nested = protocol.sections(FakeAudjust.sectionsJson(true));
        assertEquals(top, nested);
        assertEquals(new RawSegment(0, 2000, 100), top.get(0));
        assertEquals(6, top.size());
    }

    @Test
    void rejectsEverythingElse() {
        for (String body : new String[] {"", "null", "[]", "{bad", "{\"sections\":[]}", "{\"result\":{}}",
                "{\"sections\":[{\"startMs\":0,\"endMs\":10}]}", "{\"sections\":[{\"startMs\":10,\"endMs\":0,\"label\":1}]}",
                "{\"sections\":[{\"startMs\":0,\"endMs\":10,\"label\":5000}]}"}) {
            assertThrows(AudjustException.class, () -> protocol.sections(body), body);
        }
        assertThrows(AudjustException.class, () -> protocol.uploadTarget("{\"retrievalUrl\":\"x\"}"));
        assertThrows(AudjustException.class, () -> protocol.uploadTarget("{\"storageUrl\":\"http://x\"}"));
        assertThrows(AudjustException.class, () -> protocol.uploadTarget("{\"storageUrl\":\"file:/etc\",\"retrievalUrl\":\"x\"}"));
        assertEquals("http://s/a?sig=1", protocol.uploadTarget("{\"storageUrl\":\"http://s/a?sig=1\",\"retrievalUrl\":\"r\"}").storageUrl());
    }

    @Test
    void joinsBaseAndPathWithOneSlashAndHidesTheKey() {
        AudjustSettings s = new AudjustSettings("https://api.audjust.com/", "secret-key", "/upload", "structure", 30);
        assertEquals("https://api.audjust.com/upload", s.uploadUrl());
        assertEquals("https://api.audjust.com/structure", s.structureUrl());
        assertEquals("https://a/v1/upload", new AudjustSettings("https://a/v1", "k", "upload", "s", 1).uploadUrl());
        assertFalse(s.toString().contains("secret-key"));
        assertFalse(new AudjustSettings("https://a", "", "/u", "/s", 1).configured());
        assertFalse(new AudjustSettings("", "k", "/u", "/s", 1).configured());
    }
}

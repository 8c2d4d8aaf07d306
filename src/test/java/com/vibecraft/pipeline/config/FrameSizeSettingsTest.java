package com.vibecraft.pipeline.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame-size settings: usable values are read, unusable ones stop the start with the setting named. */
class FrameSizeSettingsTest {

    @Test
    void readsWidthAndHeightWhateverTheCaseAndSpaces() {
        assertEquals(new FrameSize(720, 1280), FrameSize.parse(" 720 X 1280 ", "s", "e"));
        assertEquals(1280, VideoConfiguration.format("1280x720", 30).width());
    }

    @Test
    void anUnusableVideoSizeNamesTheSettingAndTheValue() {
        for (String bad : new String[]{null, "", "1280", "1280x", "widexhigh", "1280x720x2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> VideoConfiguration.format(bad, 30), String.valueOf(bad));
            assertTrue(e.getMessage().contains("VIBECRAFT_COMPOSE_SIZE") && e.getMessage().contains("(" + bad),
                    e.getMessage());
        }
    }

    @Test
    void anUnusablePreviewSizeNamesTheSettingAndWhy() {
        assertNotNull(ClipConfiguration.previewRenderer("160x90"));
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> ClipConfiguration.previewRenderer("small"));
        assertTrue(text.getMessage().contains("VIBECRAFT_PREVIEW_SIZE") && text.getMessage().contains("WIDTHxHEIGHT"),
                text.getMessage());
        // whole numbers the renderer cannot use: odd, too small
        for (String bad : new String[]{"161x90", "32x18"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClipConfiguration.previewRenderer(bad), bad);
            assertTrue(e.getMessage().contains("VIBECRAFT_PREVIEW_SIZE") && e.getMessage().contains("even"),
                    e.getMessage());
        }
    }
}

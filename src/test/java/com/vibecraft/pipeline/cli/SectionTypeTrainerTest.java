package com.vibecraft.pipeline.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The trainer's held-out check on songs that open on their verse. */
class SectionTypeTrainerTest {

    private static final int INTRO = 0;
    private static final int VERSE = 1;
    private static final int CHORUS = 2;
    private static final int OUTRO = 4;

    @Test
    void aSongWithoutItsIntroAndOutroStartsAtZeroWithItsMaterialsRenumbered() {
        SectionTypeTrainer.SongSegments song = new SectionTypeTrainer.SongSegments(
                new double[] {0, 8, 12, 30, 50, 70}, new double[] {8, 12, 30, 50, 70, 80},
                new int[] {0, 1, 2, 3, 2, 0}, new double[] {.1, .2, .3, .4, .5, .6},
                new int[] {INTRO, INTRO, VERSE, CHORUS, VERSE, OUTRO});
        SectionTypeTrainer.SongSegments cut = song.withoutIntroAndOutro();
        assertArrayEquals(new double[] {0, 18, 38}, cut.start());
        assertArrayEquals(new double[] {18, 38, 58}, cut.end());
        assertArrayEquals(new int[] {0, 1, 0}, cut.material());
        assertArrayEquals(new double[] {.3, .4, .5}, cut.energy());
        assertArrayEquals(new int[] {VERSE, CHORUS, VERSE}, cut.type());
    }

    @Test
    void nothingToCutOrTooLittleLeftGivesNoSong() {
        assertNull(new SectionTypeTrainer.SongSegments(new double[] {0, 10}, new double[] {10, 20}, new int[] {0, 1},
                new double[] {.1, .2}, new int[] {VERSE, CHORUS}).withoutIntroAndOutro());
        assertNull(new SectionTypeTrainer.SongSegments(new double[] {0, 10, 20}, new double[] {10, 20, 30},
                new int[] {0, 1, 2}, new double[] {.1, .2, .3}, new int[] {INTRO, VERSE, OUTRO}).withoutIntroAndOutro());
    }
}

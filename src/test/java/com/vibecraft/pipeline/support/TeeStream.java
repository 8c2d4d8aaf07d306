package com.vibecraft.pipeline.support;

import java.io.IOException;
import java.io.OutputStream;

/** Writes to two streams: the console as before, and a capture that log assertions read. */
public final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    public TeeStream(OutputStream a, OutputStream b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
        a.write(c);
        synchronized (b) {
            b.write(c);
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        a.write(buf, off, len);
        synchronized (b) {
            b.write(buf, off, len);
        }
    }
}

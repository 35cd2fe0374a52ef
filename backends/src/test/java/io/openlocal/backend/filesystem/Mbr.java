package io.openlocal.backend.filesystem;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Writes a DOS partition table with one Linux partition into an image file (no sfdisk on this machine). */
final class Mbr {

    private Mbr() {
    }

    static void write(Path image) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
            byte[] entry = new byte[16];
            entry[4] = (byte) 0x83;           // type: Linux
            entry[9] = 0x08;                  // first LBA 2048, little endian
            entry[14] = 0x01;                 // 65536 sectors
            raf.seek(446);
            raf.write(entry);
            raf.seek(510);
            raf.write(new byte[] {0x55, (byte) 0xAA});
        }
    }
}

"""Small pictures for the demo's photos (a scene's colours, no real photograph), written as PNG without any
imaging library."""

import struct
import zlib


def png(width: int = 240, height: int = 180, top=(196, 60, 52), bottom=(240, 232, 220)) -> bytes:
    """A vertical gradient with a darker band, like a photo of a red extinguisher on a wall."""
    rows = []
    for y in range(height):
        t = y / max(height - 1, 1)
        row = bytearray([0])  # filter: none
        for x in range(width):
            band = 0.55 if width * 0.4 < x < width * 0.6 and height * 0.2 < y < height * 0.85 else 1.0
            row += bytes(int((a + (b - a) * t) * band) for a, b in zip(top, bottom))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) \
        + chunk(b"IEND", b"")

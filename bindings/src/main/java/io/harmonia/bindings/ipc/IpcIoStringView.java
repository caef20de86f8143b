package io.harmonia.bindings.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A zero-copy view of a UTF-8 string inside a message, the Java counterpart of C's {@code ReadString}, which
 * returns a pointer into the buffer. {@link IpcIoBuffer#readString(IpcIoStringView)} points it at the bytes;
 * it stays valid while the message memory is. Reuse one view per reader: wrapping allocates nothing.
 */
public final class IpcIoStringView
{
    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private long length;

    void wrap(final MemorySegment segment, final long offset, final long length)
    {
        this.segment = segment;
        this.offset = offset;
        this.length = length;
    }

    /**
     * The length in bytes (without the NUL).
     *
     * @return the number of UTF-8 bytes.
     */
    public long length()
    {
        return length;
    }

    /**
     * One byte of the string.
     *
     * @param index 0 .. length() - 1.
     * @return the byte.
     * @throws IndexOutOfBoundsException outside the string.
     */
    public byte byteAt(final long index)
    {
        if (index < 0 || index >= length)
        {
            throw new IndexOutOfBoundsException("index=" + index + ", length=" + length);
        }
        return segment.get(ValueLayout.JAVA_BYTE, offset + index);
    }

    /**
     * Whether the bytes are exactly the UTF-8 encoding of text, without decoding or allocating.
     *
     * @param text the text to compare with.
     * @return true when equal.
     */
    public boolean contentEquals(final String text)
    {
        long at = offset;
        final long end = offset + length;
        final int chars = text.length();
        for (int i = 0; i < chars; i++)
        {
            int codePoint = text.charAt(i);
            if (Character.isHighSurrogate((char)codePoint) && i + 1 < chars &&
                Character.isLowSurrogate(text.charAt(i + 1)))
            {
                codePoint = Character.toCodePoint((char)codePoint, text.charAt(++i));
            }
            final int encoded = Utf8.encodedLength(codePoint);
            if (at + encoded > end)
            {
                return false;
            }
            for (int b = 0; b < encoded; b++)
            {
                if (Utf8.encodedByte(codePoint, encoded, b) != segment.get(ValueLayout.JAVA_BYTE, at + b))
                {
                    return false;
                }
            }
            at += encoded;
        }
        return at == end;
    }

    /**
     * Decodes the string into a builder (malformed sequences become U+FFFD), allocating nothing when the
     * builder has room.
     *
     * @param builder where the characters go.
     * @return the builder.
     */
    public StringBuilder appendTo(final StringBuilder builder)
    {
        Utf8.decode(segment, offset, length, builder);
        return builder;
    }

    /**
     * The string as a Java String (allocates).
     *
     * @return the decoded text.
     */
    @Override
    public String toString()
    {
        final byte[] bytes = new byte[Math.toIntExact(length)];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

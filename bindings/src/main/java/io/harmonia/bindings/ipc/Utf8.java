package io.harmonia.bindings.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** UTF-8 encoding and decoding straight into and out of message memory, without intermediate arrays. */
final class Utf8
{
    private static final char REPLACEMENT = '\ufffd';

    private Utf8()
    {
    }

    /** Bytes of a code point in UTF-8. */
    static int encodedLength(final int codePoint)
    {
        if (codePoint < 0x80)
        {
            return 1;
        }
        if (codePoint < 0x800)
        {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    /** Byte number index of the UTF-8 encoding of a code point that takes length bytes. */
    static byte encodedByte(final int codePoint, final int length, final int index)
    {
        if (1 == length)
        {
            return (byte)codePoint;
        }
        final int shift = 6 * (length - 1 - index);
        if (0 == index)
        {
            final int lead = 2 == length ? 0xc0 : 3 == length ? 0xe0 : 0xf0;
            return (byte)(lead | (codePoint >>> shift));
        }
        return (byte)(0x80 | ((codePoint >>> shift) & 0x3f));
    }

    /**
     * The UTF-8 length of text, or -1 - index of the first unpaired surrogate (which UTF-8 cannot carry).
     */
    static long encodedLength(final String text)
    {
        long length = 0;
        final int chars = text.length();
        for (int i = 0; i < chars; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                length++;
            }
            else if (c < 0x800)
            {
                length += 2;
            }
            else if (Character.isSurrogate(c))
            {
                if (!Character.isHighSurrogate(c) || i + 1 == chars || !Character.isLowSurrogate(text.charAt(i + 1)))
                {
                    return -1 - i;
                }
                length += 4;
                i++;
            }
            else
            {
                length += 3;
            }
        }
        return length;
    }

    /** Encodes text (valid: checked by encodedLength) at offset; returns the bytes written. */
    static long encode(final String text, final MemorySegment segment, final long offset)
    {
        long at = offset;
        final int chars = text.length();
        for (int i = 0; i < chars; i++)
        {
            int codePoint = text.charAt(i);
            if (Character.isHighSurrogate((char)codePoint))
            {
                codePoint = Character.toCodePoint((char)codePoint, text.charAt(++i));
            }
            final int length = encodedLength(codePoint);
            for (int b = 0; b < length; b++)
            {
                segment.set(ValueLayout.JAVA_BYTE, at + b, encodedByte(codePoint, length, b));
            }
            at += length;
        }
        return at - offset;
    }

    /** Decodes length bytes at offset into builder; malformed input becomes U+FFFD. */
    static void decode(final MemorySegment segment, final long offset, final long length, final StringBuilder builder)
    {
        long at = offset;
        final long end = offset + length;
        while (at < end)
        {
            final int lead = segment.get(ValueLayout.JAVA_BYTE, at) & 0xff;
            if (lead < 0x80)
            {
                builder.append((char)lead);
                at++;
                continue;
            }
            final int continuation = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
            if (continuation < 0 || lead > 0xf4 || at + continuation >= end)
            {
                builder.append(REPLACEMENT);
                at++;
                continue;
            }
            int codePoint = lead & (0x3f >> continuation);
            boolean valid = true;
            for (int b = 1; b <= continuation; b++)
            {
                final int next = segment.get(ValueLayout.JAVA_BYTE, at + b) & 0xff;
                if (0x80 != (next & 0xc0))
                {
                    valid = false;
                    break;
                }
                codePoint = (codePoint << 6) | (next & 0x3f);
            }
            final int minimum = 1 == continuation ? 0x80 : 2 == continuation ? 0x800 : 0x10000;
            if (!valid || codePoint < minimum || codePoint > Character.MAX_CODE_POINT ||
                (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE))
            {
                builder.append(REPLACEMENT);
                at++;
                continue;
            }
            builder.appendCodePoint(codePoint);
            at += 1 + continuation;
        }
    }
}

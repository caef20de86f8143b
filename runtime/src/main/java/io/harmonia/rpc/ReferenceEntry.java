package io.harmonia.rpc;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * One object reference as it travels in a frame (docs/architecture.md section 6.3): the owner's endpoint address
 * and pid, the object id and its 128-bit secret, the transfer id of the pin the writer holds until the reference
 * arrives, and the interface descriptor.
 */
record ReferenceEntry(long objectId, long secretLow, long secretHigh, long transferId, int ownerPid,
    String ownerAddress, String descriptor)
{
    /** Bytes this entry takes in a frame. */
    int encodedLength()
    {
        return Frames.align8(Frames.REF_HEADER + utf8(ownerAddress).length + utf8(descriptor).length);
    }

    /** Writes the entry at {@code offset}; returns the offset after it. */
    long write(final MemorySegment buffer, final long offset)
    {
        final byte[] address = utf8(ownerAddress);
        final byte[] name = utf8(descriptor);
        buffer.set(Frames.LONG, offset + Frames.REF_OBJECT, objectId);
        buffer.set(Frames.LONG, offset + Frames.REF_SECRET_LOW, secretLow);
        buffer.set(Frames.LONG, offset + Frames.REF_SECRET_HIGH, secretHigh);
        buffer.set(Frames.LONG, offset + Frames.REF_TRANSFER, transferId);
        buffer.set(Frames.INT, offset + Frames.REF_OWNER_PID, ownerPid);
        buffer.set(Frames.SHORT, offset + Frames.REF_ADDRESS_LENGTH, (short)address.length);
        buffer.set(Frames.SHORT, offset + Frames.REF_DESCRIPTOR_LENGTH, (short)name.length);
        buffer.set(Frames.LONG, offset + 40, 0L);
        MemorySegment.copy(address, 0, buffer, Frames.BYTE, offset + Frames.REF_HEADER, address.length);
        MemorySegment.copy(name, 0, buffer, Frames.BYTE, offset + Frames.REF_HEADER + address.length, name.length);
        final long end = offset + Frames.REF_HEADER + address.length + name.length;
        final long padded = Frames.align8(end - offset) + offset;
        buffer.asSlice(end, padded - end).fill((byte)0);
        return padded;
    }

    /**
     * Reads an entry of a received frame, every length checked against {@code limit} (the end of the frame).
     *
     * @return the entry, or null when it is malformed.
     */
    static ReferenceEntry read(final MemorySegment buffer, final long offset, final long limit)
    {
        if (offset + Frames.REF_HEADER > limit)
        {
            return null;
        }
        final int addressLength = Short.toUnsignedInt(buffer.get(Frames.SHORT, offset + Frames.REF_ADDRESS_LENGTH));
        final int descriptorLength = Short.toUnsignedInt(buffer.get(Frames.SHORT,
            offset + Frames.REF_DESCRIPTOR_LENGTH));
        if (addressLength < 1 || addressLength > Frames.MAX_ADDRESS_BYTES ||
            descriptorLength > RemoteObject.MAX_DESCRIPTOR_BYTES ||
            offset + Frames.REF_HEADER + addressLength + descriptorLength > limit)
        {
            return null;
        }
        final byte[] address = new byte[addressLength];
        MemorySegment.copy(buffer, Frames.BYTE, offset + Frames.REF_HEADER, address, 0, addressLength);
        final byte[] name = new byte[descriptorLength];
        MemorySegment.copy(buffer, Frames.BYTE, offset + Frames.REF_HEADER + addressLength, name, 0, descriptorLength);
        return new ReferenceEntry(
            buffer.get(Frames.LONG, offset + Frames.REF_OBJECT),
            buffer.get(Frames.LONG, offset + Frames.REF_SECRET_LOW),
            buffer.get(Frames.LONG, offset + Frames.REF_SECRET_HIGH),
            buffer.get(Frames.LONG, offset + Frames.REF_TRANSFER),
            buffer.get(Frames.INT, offset + Frames.REF_OWNER_PID),
            new String(address, StandardCharsets.UTF_8),
            new String(name, StandardCharsets.UTF_8));
    }

    static int encodedLength(final MemorySegment buffer, final long offset)
    {
        final int addressLength = Short.toUnsignedInt(buffer.get(Frames.SHORT, offset + Frames.REF_ADDRESS_LENGTH));
        final int descriptorLength = Short.toUnsignedInt(buffer.get(Frames.SHORT,
            offset + Frames.REF_DESCRIPTOR_LENGTH));
        return Frames.align8(Frames.REF_HEADER + addressLength + descriptorLength);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return "reference{object " + objectId + " of pid " + ownerPid + " at " + ownerAddress + ", '" + descriptor +
            "', transfer " + transferId + "}";
    }
}

package io.harmonia.tools.demo;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;

import io.harmonia.rpc.MessageSequence;

/**
 * Demo step for IpcIo: a MessageSequence round trip in OpenHarmony's serializer format, with 1 MiB of raw data
 * travelling as a sealed memfd instead of inline.
 */
public final class IpcIoDemo
{
    private static final int RAW_SIZE = 1024 * 1024;

    /**
     * Runs the step.
     *
     * @param out where the step reports.
     */
    public void run(final PrintWriter out)
    {
        final byte[] raw = new byte[RAW_SIZE];
        for (int i = 0; i < raw.length; i++)
        {
            raw[i] = (byte)(i * 7);
        }
        try (MessageSequence message = MessageSequence.create())
        {
            message.writeInterfaceToken("ohos.demo.IEcho");
            message.writeInt(42);
            message.writeUtf8String("héllo, IpcIo");
            message.writeIntArray(new int[] {1, 2, 3});
            final int inlineSize = message.getSize();
            message.writeRawDataBuffer(raw, raw.length);
            final MemorySegment head = message.data().asSlice(0, 16);
            out.println("[ipcio] MessageSequence wrote 4 fields in " + inlineSize + " bytes, C serializer format: " +
                HexFormat.ofDelimiter(" ").formatHex(head.toArray(ValueLayout.JAVA_BYTE)) + " ...");
            out.println("[ipcio] 1 MiB of raw data added only " + (message.getSize() - inlineSize) +
                " bytes: a sealed memfd carried as fd object " + (message.getObjectCount() - 1) + " at offset " +
                message.getObjectOffset(message.getObjectCount() - 1));
            final String token = message.readInterfaceToken();
            final int number = message.readInt();
            final String text = message.readUtf8String();
            final int[] ints = message.readIntArray();
            final MemorySegment view = message.readRawData(RAW_SIZE);
            final boolean intact = Arrays.equals(raw, view.toArray(ValueLayout.JAVA_BYTE));
            out.println("[ipcio] read back: token=" + token + ", int=" + number + ", text=" + text + ", ints=" +
                Arrays.toString(ints) + ", raw data " + (intact ? "intact" : "CORRUPT") + " (read-only mapping: " +
                view.isReadOnly() + ")");
        }
    }
}

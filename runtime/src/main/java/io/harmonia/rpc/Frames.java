package io.harmonia.rpc;

import java.lang.foreign.ValueLayout;

/**
 * The RPC frames: the payload of one channel message each, whose channel code is the frame kind. Every number is
 * little-endian; docs/architecture.md section 6 lists the layouts byte by byte. Everything in a received frame is
 * untrusted: {@link MessageCodec} and the connections check each field against the payload and the limits here
 * before they use it, and a frame that breaks them closes its connection.
 */
final class Frames
{
    /** First frame on every connection a process opens: who it is and where its own endpoint listens. */
    static final int HELLO = 1;
    /** A synchronous request: answered by a {@link #REPLY} with the same call id. */
    static final int CALL = 2;
    /** A one-way request: no answer. */
    static final int ONEWAY = 3;
    /** The answer to a {@link #CALL} or {@link #ACQUIRE_SYNC}. */
    static final int REPLY = 4;
    /** The sender now holds a reference to an object of the receiver (one way). */
    static final int ACQUIRE = 5;
    /** As {@link #ACQUIRE}, answered by a {@link #REPLY} with a status, for references passed on by a third party. */
    static final int ACQUIRE_SYNC = 6;
    /** The sender dropped references to an object of the receiver. */
    static final int RELEASE = 7;
    /** A reference the receiver wrote into a message reached its destination; the receiver drops its pin. */
    static final int TRANSFER_DONE = 8;
    /** The object id that names, on a connection to a published endpoint, the object published there. */
    static final long ROOT_OBJECT = 0;

    /** Bytes of a CALL/ONEWAY header before its chain. */
    static final int CALL_HEADER = 48;
    static final int CALL_ID = 0;
    static final int CALL_OBJECT = 8;
    static final int CALL_NESTED_FOR = 16;
    static final int CALL_CODE = 24;
    static final int CALL_FLAGS = 28;
    static final int CALL_DATA_LENGTH = 32;
    static final int CALL_OBJECT_COUNT = 36;
    static final int CALL_REF_COUNT = 40;
    static final int CALL_CHAIN_COUNT = 44;
    /** One chain entry: the instance of a process and the context of its thread that waits in this call chain. */
    static final int CHAIN_ENTRY = 16;
    /** Longest call chain carried: deeper chains keep their innermost entries. */
    static final int MAX_CHAIN = 4;

    /** Bytes of a REPLY header. */
    static final int REPLY_HEADER = 32;
    static final int REPLY_ID = 0;
    static final int REPLY_STATUS = 8;
    static final int REPLY_FLAGS = 12;
    static final int REPLY_DATA_LENGTH = 16;
    static final int REPLY_OBJECT_COUNT = 20;
    static final int REPLY_REF_COUNT = 24;

    /** Flag of a body whose data and object table travel in a sealed memfd, the message's last fd. */
    static final int BODY_SPILLED = 0x8000_0000;
    /** The option flags a request carries in its low bits. */
    static final int OPTION_FLAGS = 0xffff;

    /** ACQUIRE: object id, secret (two words), transfer id; ACQUIRE_SYNC puts a call id in front. */
    static final int ACQUIRE_LENGTH = 32;
    /** RELEASE: object id, count. */
    static final int RELEASE_LENGTH = 16;
    /** TRANSFER_DONE: transfer id. */
    static final int TRANSFER_DONE_LENGTH = 8;
    /** HELLO: instance, pid, address length, address. */
    static final int HELLO_HEADER = 16;

    /** One reference: fixed part, then the owner's address and the descriptor, padded to 8. */
    static final int REF_HEADER = 48;
    static final int REF_OBJECT = 0;
    static final int REF_SECRET_LOW = 8;
    static final int REF_SECRET_HIGH = 16;
    static final int REF_TRANSFER = 24;
    static final int REF_OWNER_PID = 32;
    static final int REF_ADDRESS_LENGTH = 36;
    static final int REF_DESCRIPTOR_LENGTH = 38;
    /** Longest endpoint address (sun_path is 108 bytes with its NUL). */
    static final int MAX_ADDRESS_BYTES = 107;

    /** Most objects (fds, references, raw data) in one message, as a channel's IpcIo messages. */
    static final int MAX_OBJECTS = 1024;

    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private Frames()
    {
    }

    static int align8(final int length)
    {
        return (length + 7) & ~7;
    }

    static long align8(final long length)
    {
        return (length + 7) & ~7L;
    }

    static String kindName(final int kind)
    {
        return switch (kind)
        {
            case HELLO -> "HELLO";
            case CALL -> "CALL";
            case ONEWAY -> "ONEWAY";
            case REPLY -> "REPLY";
            case ACQUIRE -> "ACQUIRE";
            case ACQUIRE_SYNC -> "ACQUIRE_SYNC";
            case RELEASE -> "RELEASE";
            case TRANSFER_DONE -> "TRANSFER_DONE";
            default -> "unknown kind " + kind;
        };
    }
}

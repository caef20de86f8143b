package io.harmonia.samgr;

/**
 * A message to a service or feature (OpenHarmony's {@code Request {int16 msgId; int16 len; void *data;
 * uint32 msgValue}}). The data array is passed by reference, not copied: do not change it after sending. Its length
 * is limited to {@value #MAX_DATA_LENGTH} bytes because the C struct's {@code len} is an {@code int16}.
 *
 * <p>The request a handler receives is samgr's own copy, bound to the exchange that carries it; pass that object to
 * {@link Samgr#sendResponse(Request, Response)}.
 */
public final class Request
{
    /** The largest data length ({@code int16} {@code len}). */
    public static final int MAX_DATA_LENGTH = Short.MAX_VALUE;

    private final int msgId;
    private final byte[] data;
    private final int msgValue;
    final Exchange exchange;

    /**
     * A request with data.
     *
     * @param msgId    the message id, an {@code int16} (-32768..32767).
     * @param data     the payload, at most {@value #MAX_DATA_LENGTH} bytes, or {@code null} for none.
     * @param msgValue a 32-bit value ({@code uint32} in C; read it with {@link Integer#toUnsignedLong(int)}).
     * @throws IllegalArgumentException if {@code msgId} or the data length is out of range.
     */
    public Request(final int msgId, final byte[] data, final int msgValue)
    {
        if (msgId < Short.MIN_VALUE || msgId > Short.MAX_VALUE)
        {
            throw new IllegalArgumentException("msgId=" + msgId + " must fit an int16 (-32768..32767)");
        }
        checkDataLength(data);
        this.msgId = msgId;
        this.data = data;
        this.msgValue = msgValue;
        this.exchange = null;
    }

    /**
     * A request without data.
     *
     * @param msgId    the message id, an {@code int16}.
     * @param msgValue a 32-bit value.
     */
    public Request(final int msgId, final int msgValue)
    {
        this(msgId, null, msgValue);
    }

    private Request(final Request source, final Exchange exchange)
    {
        this.msgId = source.msgId;
        this.data = source.data;
        this.msgValue = source.msgValue;
        this.exchange = exchange;
    }

    /**
     * Checks a payload against the {@code int16 len} limit.
     *
     * @param data the payload, or {@code null}.
     * @throws IllegalArgumentException if it is longer than {@value #MAX_DATA_LENGTH} bytes.
     */
    public static void checkDataLength(final byte[] data)
    {
        if (null != data && data.length > MAX_DATA_LENGTH)
        {
            throw new IllegalArgumentException("data length=" + data.length + " exceeds the int16 len limit of "
                + MAX_DATA_LENGTH + " bytes");
        }
    }

    Request bindTo(final Exchange carrier)
    {
        return new Request(this, carrier);
    }

    /**
     * The message id.
     *
     * @return an {@code int16} value.
     */
    public int msgId()
    {
        return msgId;
    }

    /**
     * The payload (the sender's array, not a copy).
     *
     * @return the data, or {@code null} when there is none.
     */
    public byte[] data()
    {
        return data;
    }

    /**
     * The payload length ({@code len}).
     *
     * @return 0 when there is no data.
     */
    public int length()
    {
        return null == data ? 0 : data.length;
    }

    /**
     * The 32-bit value.
     *
     * @return the value as sent.
     */
    public int msgValue()
    {
        return msgValue;
    }

    @Override
    public String toString()
    {
        return "Request{msgId=" + msgId + ", len=" + length() + ", msgValue=" + Integer.toUnsignedString(msgValue)
            + "}";
    }
}

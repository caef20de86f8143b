package io.harmonia.bindings.ipc;

/**
 * Why an {@link IpcIoBuffer} operation failed. The buffer keeps the first failure (failure is sticky, as in
 * C) with two numbers, value and limit, whose meaning each constant documents; {@link #describe(long, long)}
 * turns them into text for error messages.
 */
public enum IpcIoFailure
{
    /** A write does not fit: value = bytes the item needs, limit = bytes left. */
    NO_SPACE("needs %v bytes, %l left"),
    /** A read runs past the data: value = bytes the item needs, limit = bytes left. */
    END_OF_DATA("needs %v bytes, %l left"),
    /** A length above the limit: value = the length, limit = the largest allowed. */
    TOO_LONG("length %v exceeds the limit of %l"),
    /** A string without its terminating NUL: value = the length. */
    NO_TERMINATOR("a string of length %v lacks its terminating NUL"),
    /** Text that cannot be encoded as UTF-8: value = index of the unpaired surrogate. */
    MALFORMED_TEXT("unpaired surrogate at index %v"),
    /** An item that may not be empty: value = its size (0), limit = the smallest allowed. */
    EMPTY("size %v is below the minimum of %l"),
    /** A stored size differs from the requested one: value = stored, limit = requested. */
    SIZE_MISMATCH("stored size %v differs from the requested %l"),
    /** No object-table entry left: value = entries needed, limit = the table's size. */
    OBJECT_TABLE_FULL("the object table is full (%l entries)"),
    /** No object at the read position (objects are read in order, in place): value = the position. */
    NOT_AN_OBJECT("no object at position %v"),
    /** An object of another type: value = the record's type. */
    WRONG_OBJECT_TYPE("the object there has type 0x%x"),
    /** A value outside what the format can carry: value = the value, limit = the largest allowed. */
    OUT_OF_RANGE("value %v is outside 0..%l"),
    /** A write on a buffer wrapped for reading. */
    READ_ONLY("the message is read-only"),
    /** A received object table that does not describe the data: value = the bad entry's index. */
    INVALID_OBJECT_TABLE("object-table entry %v does not point at a valid record"),
    /** More elements than the destination holds: value = elements, limit = destination length. */
    DESTINATION_TOO_SMALL("%v elements do not fit a destination of %l");

    private final String template;

    IpcIoFailure(final String template)
    {
        this.template = template;
    }

    /**
     * A readable explanation of this failure.
     *
     * @param value the failure's first number ({@link IpcIoBuffer#failureValue()}).
     * @param limit the failure's second number ({@link IpcIoBuffer#failureLimit()}).
     * @return e.g. "needs 8 bytes, 4 left".
     */
    public String describe(final long value, final long limit)
    {
        return template
            .replace("%v", Long.toString(value))
            .replace("%l", Long.toString(limit))
            .replace("%x", Long.toHexString(value & 0xffff_ffffL));
    }
}

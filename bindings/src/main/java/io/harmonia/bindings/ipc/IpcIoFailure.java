package io.harmonia.bindings.ipc;

/**
 * Why an {@link IpcIoBuffer} operation failed. The buffer keeps the first failure (failure is sticky, as in
 * C) with two numbers whose meaning each constant documents; {@link #describe(long, long)} turns them into
 * text for error messages.
 */
public enum IpcIoFailure
{
    /** A write does not fit: value = bytes the item needs, limit = bytes left. */
    NO_SPACE
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "needs " + value + " bytes, " + limit + " left";
        }
    },
    /** A read runs past the data: value = bytes the item needs, limit = bytes left. */
    END_OF_DATA
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "needs " + value + " bytes, " + limit + " left";
        }
    },
    /** A length above the limit: value = the length, limit = the largest allowed. */
    TOO_LONG
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "length " + value + " exceeds the limit of " + limit;
        }
    },
    /** A string without its terminating NUL: value = the length. */
    NO_TERMINATOR
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "a string of length " + value + " lacks its terminating NUL";
        }
    },
    /** Text that cannot be encoded as UTF-8: value = index of the unpaired surrogate. */
    MALFORMED_TEXT
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "unpaired surrogate at index " + value;
        }
    },
    /** An item that may not be empty: value = its size (0), limit = the smallest allowed. */
    EMPTY
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "size " + value + " is below the minimum of " + limit;
        }
    },
    /** A stored size differs from the requested one: value = stored, limit = requested. */
    SIZE_MISMATCH
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "stored size " + value + " differs from the requested " + limit;
        }
    },
    /** No object-table entry left: limit = the table's size. */
    OBJECT_TABLE_FULL
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "the object table is full (" + limit + " entries)";
        }
    },
    /** No object at the read position (objects are read in order, in place): value = the position. */
    NOT_AN_OBJECT
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "no object at position " + value;
        }
    },
    /** An object of another type: value = the record's type. */
    WRONG_OBJECT_TYPE
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "the object there has type 0x" + Long.toHexString(value & 0xffff_ffffL);
        }
    },
    /** A value outside what the format can carry: value = the value, limit = the largest allowed. */
    OUT_OF_RANGE
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "value " + value + " is outside 0.." + limit;
        }
    },
    /** A write on a buffer wrapped for reading. */
    READ_ONLY
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "the message is read-only";
        }
    },
    /** A received object table that does not describe the data: value = the bad entry's index. */
    INVALID_OBJECT_TABLE
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return "object-table entry " + value + " does not point at a valid record";
        }
    },
    /** More elements than the destination holds: value = elements, limit = destination length. */
    DESTINATION_TOO_SMALL
    {
        @Override
        public String describe(final long value, final long limit)
        {
            return value + " elements do not fit a destination of " + limit;
        }
    };

    /**
     * A readable explanation of this failure.
     *
     * @param value the failure's first number ({@link IpcIoBuffer#failureValue()}).
     * @param limit the failure's second number ({@link IpcIoBuffer#failureLimit()}).
     * @return e.g. "needs 8 bytes, 4 left".
     */
    public abstract String describe(long value, long limit);
}

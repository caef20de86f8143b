package ohos.harmonia.test;

import io.harmonia.rpc.MessageSequence;

/**
 * The sequenceable {@code OHOS.Harmonia.Test.Point} of IAllTypes.idl: two ints, written as OpenHarmony's C++
 * {@code Marshalling} of such a class would write them. {@code unmarshalling} refuses {@code Integer.MIN_VALUE} as
 * x, so the tests can reach the "returned false" path.
 */
public final class Point
{
    private int x;
    private int y;

    /** The instance {@code unmarshalling} fills. */
    public Point()
    {
    }

    public Point(final int x, final int y)
    {
        this.x = x;
        this.y = y;
    }

    public int x()
    {
        return x;
    }

    public int y()
    {
        return y;
    }

    public boolean marshalling(final MessageSequence out)
    {
        out.writeInt(x);
        out.writeInt(y);
        return true;
    }

    public boolean unmarshalling(final MessageSequence in)
    {
        x = in.readInt();
        y = in.readInt();
        return Integer.MIN_VALUE != x;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Point point && point.x == x && point.y == y;
    }

    @Override
    public int hashCode()
    {
        return 31 * x + y;
    }

    @Override
    public String toString()
    {
        return "Point(" + x + ", " + y + ")";
    }
}

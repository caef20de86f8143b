package io.harmonia.rpc;

/**
 * The RPC runtime's settings, read once from system properties when the runtime starts:
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>Property</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>{@code harmonia.rpc.maxWorkThreads}</td><td>16</td><td>most incoming requests handled at once in this
 * process (OpenHarmony's {@code DEFAULT_WORK_THREAD_NUM}); more wait in a FIFO queue; call-backs to a thread that
 * waits for a reply do not count</td></tr>
 * <tr><td>{@code harmonia.rpc.spinMicros}</td><td>50</td><td>how long a thread waiting for a reply, and a connection's
 * reader after its last request, poll before they park; 0 parks at once (lowest CPU use, two wake-ups per call)</td></tr>
 * <tr><td>{@code harmonia.rpc.promoteMicros}</td><td>1000</td><td>a handler that runs longer than this on a
 * connection's reader gets another thread to read that connection meanwhile</td></tr>
 * <tr><td>{@code harmonia.rpc.ringBytes}</td><td>1048576</td><td>bytes of each ring of a connection (two per
 * connection; a power of two)</td></tr>
 * <tr><td>{@code harmonia.rpc.spillBytes}</td><td>65536</td><td>a message body larger than this travels in a sealed
 * memfd instead of the ring</td></tr>
 * <tr><td>{@code harmonia.rpc.oneWayQueue}</td><td>1024</td><td>one-way requests of one connection waiting or
 * running before that connection stops reading: its ring fills and its sender gets ONE_WAY_LIMIT (back-pressure
 * on the flooding connection only)</td></tr>
 * <tr><td>{@code harmonia.rpc.connectMillis}</td><td>5000</td><td>longest wait to connect to another process</td></tr>
 * </table>
 */
record RpcConfig(int maxWorkThreads, long spinNanos, long promoteNanos, int ringBytes, int spillBytes,
    int oneWayQueue, long connectNanos)
{
    static RpcConfig fromSystemProperties()
    {
        return new RpcConfig(
            intProperty("harmonia.rpc.maxWorkThreads", 16, 1, 1024),
            intProperty("harmonia.rpc.spinMicros", 50, 0, 1_000_000) * 1000L,
            intProperty("harmonia.rpc.promoteMicros", 1000, 10, 60_000_000) * 1000L,
            powerOfTwo(intProperty("harmonia.rpc.ringBytes", 1 << 20, 1 << 16, 1 << 28), "harmonia.rpc.ringBytes"),
            intProperty("harmonia.rpc.spillBytes", 64 * 1024, 1024, 1 << 20),
            intProperty("harmonia.rpc.oneWayQueue", 1024, 1, 1 << 20),
            intProperty("harmonia.rpc.connectMillis", 5000, 1, 600_000) * 1_000_000L);
    }

    RpcConfig withMaxWorkThreads(final int threads)
    {
        return new RpcConfig(threads, spinNanos, promoteNanos, ringBytes, spillBytes, oneWayQueue, connectNanos);
    }

    private static int intProperty(final String name, final int fallback, final int min, final int max)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return fallback;
        }
        final int parsed;
        try
        {
            parsed = Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException malformed)
        {
            throw new IllegalArgumentException("-D" + name + "=" + value + " is not a number (" + min + ".." + max + ")");
        }
        if (parsed < min || parsed > max)
        {
            throw new IllegalArgumentException("-D" + name + "=" + parsed + " is out of range " + min + ".." + max);
        }
        return parsed;
    }

    private static int powerOfTwo(final int value, final String name)
    {
        if (Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException("-D" + name + "=" + value + " must be a power of two");
        }
        return value;
    }
}

package io.harmonia.bindings.queue;

/**
 * The Java side of the cross-process tests, run as a separate JVM:
 * {@code produce <path> <ring> <id> <count> <length>} or {@code consume <path> <ring> <producers> <count-each>}.
 */
public final class QueuePeerMain
{
    private QueuePeerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the mode and its arguments.
     */
    public static void main(final String[] args)
    {
        try (SharedRegion region = SharedRegion.openPath(args[1]))
        {
            final int ring = Integer.parseInt(args[2]);
            if ("produce".equals(args[0]))
            {
                try (RingProducer producer = region.producer(ring))
                {
                    SequenceMessages.produce(producer, Integer.parseInt(args[3]), Long.parseLong(args[4]),
                        Integer.parseInt(args[5]));
                }
                System.exit(0);
            }
            final int producers = Integer.parseInt(args[3]);
            final long each = Long.parseLong(args[4]);
            try (RingConsumer consumer = region.consumer(ring))
            {
                System.out.println("ready");
                final SequenceMessages messages = new SequenceMessages();
                messages.consume(consumer, producers * each, 10_000_000_000L);
                System.out.println("received " + messages.received + " errors " + messages.errors);
                boolean ok = messages.received == producers * each && 0 == messages.errors;
                for (int i = 0; i < producers; i++)
                {
                    ok &= messages.next[i] == each;
                }
                System.exit(ok ? 0 : 1);
            }
        }
    }
}

package io.harmonia.idl;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.Publication;

/**
 * A second process for {@link CrossProcessIdlTest}: publishes the seed's ServiceExtImpl (generated stub) at an
 * address, prints "ready", and lives until its stdin closes.
 */
public final class IdlPeerMain
{
    private IdlPeerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the address, and "uid-check" for the seed's service that never calls its callback.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final boolean uidCheck = args.length > 1 && "uid-check".equals(args[1]);
        try (Publication publication = IPCSkeleton.publish(args[0], uidCheck ? new SeedRoundTripTest.UidCheckImpl()
            : new SeedRoundTripTest.ServiceExtImpl()))
        {
            System.out.println("ready " + publication.address());
            System.out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (null != in.readLine())
            {
                // lives until stdin closes
            }
        }
    }
}

package io.harmonia.samgr.broadcast;

import io.harmonia.samgr.Identity;
import io.harmonia.samgr.Request;

/**
 * Receives publications ({@code Consumer}). Two consumers are the same subscription when {@link Object#equals}
 * says so ({@code Equal} in C).
 */
public interface Consumer
{
    /**
     * Where to be notified: a service's or feature's identity, whose task thread runs {@link #notify(int, Request)}.
     *
     * @return the identity, or {@code null} to be notified on the Broadcast service's thread.
     */
    Identity identity();

    /**
     * A publication arrived.
     *
     * @param topic   the topic.
     * @param request the publication: {@code msgId} {@link Broadcast#MSG_PUBLISH}, {@code msgValue} the topic, the
     *                published data (a copy shared by every consumer: do not change it).
     */
    void notify(int topic, Request request);
}

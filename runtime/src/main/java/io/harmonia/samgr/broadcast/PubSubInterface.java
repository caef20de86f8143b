package io.harmonia.samgr.broadcast;

import io.harmonia.samgr.IUnknown;

/** The broadcast API ({@code PubSubInterface}): a subscriber side and a provider side. */
public interface PubSubInterface extends IUnknown
{
    /**
     * Topic and subscription management.
     *
     * @return the subscriber side.
     */
    Subscriber subscriber();

    /**
     * Publication.
     *
     * @return the provider side.
     */
    Provider provider();
}

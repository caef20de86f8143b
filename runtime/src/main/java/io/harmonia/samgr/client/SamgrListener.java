package io.harmonia.samgr.client;

import io.harmonia.samgr.wire.SamgrKey;

/**
 * Told when an entry appears in or leaves the samgr server's registry ({@link SamgrClient#subscribe}). Calls run
 * on an RPC thread of this process, one at a time per listener and in the order the server saw the events; the
 * server tells a listener only of entries whose policy lets its process's uid in.
 */
public interface SamgrListener
{
    /**
     * An entry was registered (also told at once, on subscribing, for every matching entry already there).
     *
     * @param key         the entry.
     * @param providerPid the process that registered it.
     */
    void onAdded(SamgrKey key, int providerPid);

    /**
     * An entry left: withdrawn by its provider, or its provider's process died.
     *
     * @param key          the entry.
     * @param providerPid  the process that had registered it.
     * @param providerDied true when it left because that process died.
     */
    void onRemoved(SamgrKey key, int providerPid, boolean providerDied);
}

package io.harmonia.samgr.wire;

import java.util.List;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.samgr.registry.AccessPolicy;

/** A decoded samgr request: one record per operation code of {@link SamgrProtocol}. */
public sealed interface SamgrRequest
{
    /**
     * The key the request names.
     *
     * @return the key.
     */
    SamgrKey key();

    /**
     * {@link SamgrProtocol#ADD}: register an object.
     *
     * @param key      an ability or a feature.
     * @param object   the provider's object.
     * @param policies the provider's rules, 0..{@value AccessPolicy#MAX_POLICIES} (empty: the server decides).
     */
    record Add(SamgrKey key, IRemoteObject object, List<AccessPolicy> policies) implements SamgrRequest
    {
    }

    /**
     * {@link SamgrProtocol#GET}: look up an object.
     *
     * @param key           an ability or a feature.
     * @param timeoutMillis 0 to answer at once, else the longest wait for the key to appear.
     */
    record Get(SamgrKey key, int timeoutMillis) implements SamgrRequest
    {
    }

    /**
     * {@link SamgrProtocol#REMOVE}: withdraw an object.
     *
     * @param key an ability or a feature.
     */
    record Remove(SamgrKey key) implements SamgrRequest
    {
    }

    /**
     * {@link SamgrProtocol#SUBSCRIBE}: be told when a key (or any, for KIND_ALL) appears or goes.
     *
     * @param key      a key, or every entry.
     * @param listener the object told with one-way {@link SamgrProtocol#ON_ADDED} / {@link SamgrProtocol#ON_REMOVED}.
     */
    record Subscribe(SamgrKey key, IRemoteObject listener) implements SamgrRequest
    {
    }

    /**
     * {@link SamgrProtocol#UNSUBSCRIBE}: stop being told.
     *
     * @param key      the key it subscribed to.
     * @param listener the same listener.
     */
    record Unsubscribe(SamgrKey key, IRemoteObject listener) implements SamgrRequest
    {
    }

    /**
     * {@link SamgrProtocol#DUMP}: describe one entry or all.
     *
     * @param key a key, or every entry.
     */
    record Dump(SamgrKey key) implements SamgrRequest
    {
    }
}

package io.harmonia.rpc;

/**
 * Told once when the process owning a remote object dies (or its connection is lost for good), OpenHarmony's
 * {@code rpc.DeathRecipient}. Runs on an RPC thread of this process, never under a lock of the RPC layer; a
 * recipient that throws is logged and does not stop the others.
 */
@FunctionalInterface
public interface DeathRecipient
{
    /** The remote object's process is gone: every later call on its proxies fails with DEAD_OBJECT. */
    void onRemoteDied();
}

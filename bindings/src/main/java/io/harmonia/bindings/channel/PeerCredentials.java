package io.harmonia.bindings.channel;

/**
 * The identity of a channel's peer as the kernel reported it (SO_PEERCRED) when the connection was made.
 *
 * @param pid the peer's process id.
 * @param uid the peer's user id.
 * @param gid the peer's group id.
 */
public record PeerCredentials(int pid, int uid, int gid)
{
}

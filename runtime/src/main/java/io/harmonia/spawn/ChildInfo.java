package io.harmonia.spawn;

/**
 * One entry of the daemon's children table (a dump reply).
 *
 * @param pid         the child's pid.
 * @param uid         its uid.
 * @param startTimeMs when it was forked, in milliseconds since the epoch.
 * @param coldStart   whether it was started cold.
 * @param ready       whether it has reported ready (else it is still starting).
 * @param name        its processName.
 */
public record ChildInfo(int pid, int uid, long startTimeMs, boolean coldStart, boolean ready, String name)
{
}

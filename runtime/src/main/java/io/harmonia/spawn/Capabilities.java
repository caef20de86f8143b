package io.harmonia.spawn;

import java.util.List;
import java.util.Locale;

/**
 * Linux capability names and numbers (linux/capability.h), for tools and messages: "CAP_NET_BIND_SERVICE" or
 * "net_bind_service" is 10.
 */
public final class Capabilities
{
    /** The names in number order: index n is capability n. */
    public static final List<String> NAMES = List.of(
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /** CAP_NET_BIND_SERVICE: bind ports below 1024. */
    public static final int NET_BIND_SERVICE = 10;

    private Capabilities()
    {
    }

    /**
     * The number of a capability given by name (with or without "CAP_", any case) or as a number.
     *
     * @param text e.g. "CAP_NET_BIND_SERVICE", "net_bind_service" or "10".
     * @return the capability number.
     * @throws IllegalArgumentException for an unknown name or a number outside 0..63.
     */
    public static int parse(final String text)
    {
        final String trimmed = text.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit))
        {
            final int number = trimmed.length() > 2 ? 64 : Integer.parseInt(trimmed);
            if (number > 63)
            {
                throw new IllegalArgumentException("capability " + text + ": must be 0..63");
            }
            return number;
        }
        final String upper = trimmed.toUpperCase(Locale.ROOT);
        final int index = NAMES.indexOf(upper.startsWith("CAP_") ? upper : "CAP_" + upper);
        if (index < 0)
        {
            throw new IllegalArgumentException("capability " + text + ": unknown name (e.g. CAP_NET_BIND_SERVICE)");
        }
        return index;
    }
}

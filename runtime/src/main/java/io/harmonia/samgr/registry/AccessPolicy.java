package io.harmonia.samgr.registry;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Who may use a service or feature of another process: one rule of samgr_lite's IPC permission control (the
 * {@code RANGE} and {@code FIXED} policies of {@code security_permission_lite}, plus {@code ALL}). A caller is
 * allowed when any rule of the entry's list matches its kernel uid; an empty list means {@link #all()}.
 *
 * <p>The uid is the caller's, from SO_PEERCRED: nothing in a request can claim another. Uids are unsigned 32-bit
 * values as on Linux; they travel as {@code uint32}.
 *
 * @param type    the kind of rule.
 * @param uidMin  RANGE: the first allowed uid (unsigned).
 * @param uidMax  RANGE: the last allowed uid (unsigned, not below {@code uidMin}).
 * @param uids    FIXED: 1 to {@value #MAX_FIXED_UIDS} allowed uids; empty for the other types.
 */
public record AccessPolicy(Type type, int uidMin, int uidMax, int[] uids)
{
    /** Most uids in one FIXED rule (OpenHarmony's {@code UID_SIZE}). */
    public static final int MAX_FIXED_UIDS = 8;
    /** Most rules per entry (OpenHarmony's {@code MAX_POLICY_NUM}). */
    public static final int MAX_POLICIES = 8;

    /** The kinds of rule, with their numbers on the wire. */
    public enum Type
    {
        /** Callers whose uid lies in [uidMin, uidMax] (unsigned). */
        RANGE(1),
        /** Callers whose uid is one of a list. */
        FIXED(2),
        /** Every caller. */
        ALL(3);

        private final int wire;

        Type(final int wire)
        {
            this.wire = wire;
        }

        /**
         * The number on the wire.
         *
         * @return 1, 2 or 3.
         */
        public int wire()
        {
            return wire;
        }

        /**
         * The type of a wire number.
         *
         * @param wire the number.
         * @return the type, or null for a number no type has.
         */
        public static Type ofWire(final int wire)
        {
            for (final Type type : values())
            {
                if (type.wire == wire)
                {
                    return type;
                }
            }
            return null;
        }
    }

    /**
     * Checks a rule.
     *
     * @throws NullPointerException     for a null type or uid list.
     * @throws IllegalArgumentException when the fields do not fit the type (names the field and the limit).
     */
    public AccessPolicy
    {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(uids, "uids");
        uids = uids.clone();
        switch (type)
        {
            case RANGE ->
            {
                if (Integer.compareUnsigned(uidMin, uidMax) > 0)
                {
                    throw new IllegalArgumentException("policy RANGE: uidMin " + Integer.toUnsignedString(uidMin)
                        + " is above uidMax " + Integer.toUnsignedString(uidMax));
                }
                if (0 != uids.length)
                {
                    throw new IllegalArgumentException("policy RANGE takes no uid list");
                }
            }
            case FIXED ->
            {
                if (uids.length < 1 || uids.length > MAX_FIXED_UIDS)
                {
                    throw new IllegalArgumentException("policy FIXED: " + uids.length + " uids, must be 1.."
                        + MAX_FIXED_UIDS);
                }
            }
            default ->
            {
                if (0 != uids.length || 0 != uidMin || 0 != uidMax)
                {
                    throw new IllegalArgumentException("policy ALL takes no uids");
                }
            }
        }
    }

    /**
     * Callers with a uid in a range.
     *
     * @param uidMin the first uid (unsigned).
     * @param uidMax the last uid (unsigned).
     * @return the rule.
     */
    public static AccessPolicy range(final int uidMin, final int uidMax)
    {
        return new AccessPolicy(Type.RANGE, uidMin, uidMax, new int[0]);
    }

    /**
     * Callers with one of some uids.
     *
     * @param uids 1 to {@value #MAX_FIXED_UIDS} uids.
     * @return the rule.
     */
    public static AccessPolicy fixed(final int... uids)
    {
        return new AccessPolicy(Type.FIXED, 0, 0, uids);
    }

    /**
     * Every caller.
     *
     * @return the rule.
     */
    public static AccessPolicy all()
    {
        return new AccessPolicy(Type.ALL, 0, 0, new int[0]);
    }

    /**
     * The FIXED uids.
     *
     * @return a copy.
     */
    @Override
    public int[] uids()
    {
        return uids.clone();
    }

    /**
     * Whether this rule lets a uid in.
     *
     * @param uid the caller's kernel uid.
     * @return true when it matches.
     */
    public boolean allows(final int uid)
    {
        return switch (type)
        {
            case RANGE -> Integer.compareUnsigned(uid, uidMin) >= 0 && Integer.compareUnsigned(uid, uidMax) <= 0;
            case FIXED -> Arrays.stream(uids).anyMatch(fixed -> fixed == uid);
            case ALL -> true;
        };
    }

    /**
     * Whether a list of rules lets a uid in: any rule matches, or the list is empty.
     *
     * @param policies the entry's rules.
     * @param uid      the caller's kernel uid.
     * @return true when allowed.
     */
    public static boolean allows(final List<AccessPolicy> policies, final int uid)
    {
        if (policies.isEmpty())
        {
            return true;
        }
        for (final AccessPolicy policy : policies)
        {
            if (policy.allows(uid))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the text form: {@code all}, {@code range:MIN-MAX} or {@code fixed:UID,UID,...}.
     *
     * @param text the rule.
     * @return the rule.
     * @throws IllegalArgumentException for malformed text, naming what is wrong.
     */
    public static AccessPolicy parse(final String text)
    {
        final String trimmed = Objects.requireNonNull(text, "policy").trim();
        try
        {
            if ("all".equalsIgnoreCase(trimmed))
            {
                return all();
            }
            if (trimmed.regionMatches(true, 0, "range:", 0, 6))
            {
                final String[] bounds = trimmed.substring(6).split("-", -1);
                if (2 != bounds.length)
                {
                    throw new IllegalArgumentException("policy '" + text + "': a range is MIN-MAX");
                }
                return range(Integer.parseUnsignedInt(bounds[0].trim()), Integer.parseUnsignedInt(bounds[1].trim()));
            }
            if (trimmed.regionMatches(true, 0, "fixed:", 0, 6))
            {
                final String[] parts = trimmed.substring(6).split(",", -1);
                final int[] uids = new int[parts.length];
                for (int i = 0; i < parts.length; i++)
                {
                    uids[i] = Integer.parseUnsignedInt(parts[i].trim());
                }
                return fixed(uids);
            }
        }
        catch (final NumberFormatException malformed)
        {
            throw new IllegalArgumentException("policy '" + text + "': uids are unsigned 32-bit numbers", malformed);
        }
        throw new IllegalArgumentException("policy '" + text + "' must be all, range:MIN-MAX or fixed:UID[,UID...]");
    }

    /** The text form {@link #parse} reads. */
    @Override
    public String toString()
    {
        return switch (type)
        {
            case RANGE -> "range:" + Integer.toUnsignedString(uidMin) + "-" + Integer.toUnsignedString(uidMax);
            case FIXED ->
            {
                final StringBuilder text = new StringBuilder("fixed:");
                for (int i = 0; i < uids.length; i++)
                {
                    text.append(0 == i ? "" : ",").append(Integer.toUnsignedString(uids[i]));
                }
                yield text.toString();
            }
            case ALL -> "all";
        };
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof final AccessPolicy that && type == that.type && uidMin == that.uidMin
            && uidMax == that.uidMax && Arrays.equals(uids, that.uids);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(type, uidMin, uidMax, Arrays.hashCode(uids));
    }
}
